namespace SharpBpf.Elf;

/// <summary>The low four bits of <c>st_info</c>.</summary>
internal enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Func = 2,
    Section = 3,
    File = 4,
    Common = 5,
    Tls = 6,
}

/// <summary>The high four bits of <c>st_info</c>.</summary>
internal enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
}

/// <summary>The low two bits of <c>st_other</c>.</summary>
internal enum ElfSymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}

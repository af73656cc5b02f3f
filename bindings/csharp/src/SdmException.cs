using System;

namespace SpaceDataModule
{
    /// <summary>
    /// A failure reported by the library: <see cref="Code"/> is the stable number of
    /// docs/errors.md (the C ABI's <c>sdm_status</c>), <see cref="Name"/> its kebab-case name
    /// (sdm_error_code_name). The text is "error[name]: message": the library's message
    /// carries no code, so the name appears once. The few checks done on the managed side
    /// (text that is not UTF-8, a list of trusted signers that cannot be framed) use the
    /// codes the library uses for the same mistakes.
    /// </summary>
    [Serializable]
    public sealed class SdmException : Exception
    {
        /// <summary>The stable error number (docs/errors.md), e.g. 4 for invalid-argument.</summary>
        public int Code { get; private set; }

        /// <summary>The stable kebab-case name, e.g. "invalid-argument".</summary>
        public string Name { get; private set; }

        /// <summary>The library's message alone (without the code), e.g. from
        /// sdm_last_error_message.</summary>
        public string Detail { get; private set; }

        public SdmException(int code, string message)
            : this(code, ErrorCodes.NameOf(code), message)
        {
        }

        SdmException(int code, string name, string message)
            : base(string.Format("error[{0}]: {1}", name, message))
        {
            Code = code;
            Name = name;
            Detail = message;
        }
    }
}

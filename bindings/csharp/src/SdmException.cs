using System;

namespace SpaceDataModule
{
    /// <summary>
    /// A failure reported by the library: <see cref="Code"/> is the stable number of
    /// docs/errors.md (the C ABI's <c>sdm_status</c>), <see cref="Name"/> its kebab-case name.
    /// Argument checks done on the managed side (a key of the wrong size) use the same codes.
    /// </summary>
    [Serializable]
    public sealed class SdmException : Exception
    {
        /// <summary>The stable error number (docs/errors.md), e.g. 4 for invalid-argument.</summary>
        public int Code { get; private set; }

        /// <summary>The stable kebab-case name, e.g. "invalid-argument".</summary>
        public string Name { get; private set; }

        public SdmException(int code, string message)
            : base(string.Format("error[{0}]: {1}", ErrorCodes.NameOf(code), message))
        {
            Code = code;
            Name = ErrorCodes.NameOf(code);
        }
    }
}

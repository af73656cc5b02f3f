using System;
using System.Runtime.InteropServices;
using System.Text;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// The few conversions every call needs: status to exception, sdm_bytes to byte[] (copied,
    /// then freed), and the pointer rules of optional inputs. Keys cross with their length and
    /// are checked by the library (a wrong size is key-invalid), not here.
    /// </summary>
    static unsafe class Interop
    {
        static readonly UTF8Encoding strictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Throws the last error of this thread when <paramref name="status"/> is not 0.
        /// Must run on the thread that made the call, before any other sdm_ call.</summary>
        internal static void Check(uint status)
        {
            if (status == 0)
                return;
            throw new SdmException((int)status, LastErrorMessage());
        }

        internal static string LastErrorMessage()
        {
            byte* message = NativeMethods.sdm_last_error_message();
            if (message == null)
                return "";
            int length = 0;
            while (message[length] != 0)
                length++;
            return Encoding.UTF8.GetString(message, length);
        }

        /// <summary>Copies a library-owned buffer into a managed array and frees it, whatever
        /// happens during the copy.</summary>
        internal static byte[] Take(sdm_bytes* bytes)
        {
            try
            {
                ulong length = bytes->len.ToUInt64();
                if (length == 0 || bytes->ptr == null)
                    return new byte[0];
                if (length > int.MaxValue)
                    throw new SdmException(ErrorCodes.InputTooLarge,
                        "the library returned " + length + " bytes, more than a .NET array holds");
                var copy = new byte[(int)length];
                Marshal.Copy((IntPtr)bytes->ptr, copy, 0, (int)length);
                return copy;
            }
            finally
            {
                NativeMethods.sdm_bytes_free(bytes);
            }
        }

        /// <summary>As <see cref="Take"/>, decoded as UTF-8 text (the library's JSON).</summary>
        internal static string TakeText(sdm_bytes* bytes)
        {
            return Encoding.UTF8.GetString(Take(bytes));
        }

        /// <summary>Strict UTF-8 bytes of a JSON input (a lone surrogate is invalid-argument).</summary>
        internal static byte[] Utf8(string text, string what)
        {
            if (text == null)
                throw new ArgumentNullException(what);
            try
            {
                return strictUtf8.GetBytes(text);
            }
            catch (EncoderFallbackException error)
            {
                throw new SdmException(ErrorCodes.InvalidArgument, what + " is not valid UTF-16 text: " + error.Message);
            }
        }

        internal static UIntPtr Length(byte[] data)
        {
            return new UIntPtr(data == null ? 0u : (uint)data.Length);
        }

        internal static void RequireNotNull(object value, string what)
        {
            if (value == null)
                throw new ArgumentNullException(what);
        }

        static readonly byte[] presentButEmpty = new byte[1];

        /// <summary>What to pin for an optional input. <c>fixed</c> gives NULL for an empty
        /// array, which the library reads as "absent"; an empty (non-null) array is a present
        /// input of length 0 instead, which the library refuses (invalid-argument). So an empty
        /// recipient key never quietly means "not encrypted". Pass
        /// <c>Length(optional)</c> as the length.</summary>
        internal static byte[] Pinnable(byte[] optional)
        {
            return optional != null && optional.Length == 0 ? presentButEmpty : optional;
        }
    }
}

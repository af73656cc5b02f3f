using System;
using System.Runtime.InteropServices;
using System.Text;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// The few conversions every call needs: status to exception, sdm_bytes to byte[] (copied,
    /// then freed), and managed-side argument checks that keep the native side from reading
    /// past a short array.
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

        /// <summary>The native side reads exactly <paramref name="size"/> bytes from a key
        /// pointer, so a shorter array must never reach it.</summary>
        internal static void RequireSize(byte[] key, int size, string what)
        {
            RequireNotNull(key, what);
            if (key.Length != size)
                throw new SdmException(ErrorCodes.InvalidArgument,
                    what + " must be " + size + " bytes, got " + key.Length);
        }
    }
}

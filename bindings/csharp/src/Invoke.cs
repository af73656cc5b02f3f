using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SpaceDataModule
{
    /// <summary>One input frame of a request: a port and its payload. The library gives every
    /// frame an empty type reference and the default alignment (8), as the reference encoder
    /// does.</summary>
    public sealed class InputFrame
    {
        public string PortId { get; private set; }
        public byte[] Payload { get; private set; }

        public InputFrame(string portId, byte[] payload)
        {
            Interop.RequireNotNull(portId, "portId");
            Interop.RequireNotNull(payload, "payload");
            PortId = portId;
            Payload = payload;
        }
    }

    /// <summary>The type of a frame's payload (a FlatBuffer type reference). Absent strings are
    /// null.</summary>
    public sealed class TypeRef
    {
        public string SchemaName { get; internal set; }
        public string FileIdentifier { get; internal set; }
        /// <summary>The schema hash bytes (empty when none).</summary>
        public byte[] SchemaHash { get; internal set; }
        public bool AcceptsAnyFlatbuffer { get; internal set; }
        /// <summary>"flatbuffer" or "aligned-binary".</summary>
        public string WireFormat { get; internal set; }
        public string RootTypeName { get; internal set; }
        public ushort FixedStringLength { get; internal set; }
        public uint ByteLength { get; internal set; }
        public ushort RequiredAlignment { get; internal set; }
    }

    /// <summary>One output frame of a response with the envelope's metadata.</summary>
    public sealed class OutputFrame
    {
        /// <summary>The port, null when the guest set none.</summary>
        public string PortId { get; internal set; }
        /// <summary>The payload's type, null when the guest set none.</summary>
        public TypeRef TypeRef { get; internal set; }
        public ushort Alignment { get; internal set; }
        /// <summary>Where the payload sits in the response's arena.</summary>
        public uint Offset { get; internal set; }
        public uint Size { get; internal set; }
        public byte Ownership { get; internal set; }
        public uint Generation { get; internal set; }
        public byte Mutability { get; internal set; }
        public ulong TraceId { get; internal set; }
        public uint StreamId { get; internal set; }
        public ulong Sequence { get; internal set; }
        public bool EndOfStream { get; internal set; }
        public byte[] Payload { get; internal set; }
    }

    /// <summary>A decoded (and verified) PluginInvokeResponse. A guest's own failure (a
    /// non-zero status, an error code) is a response, not an exception.</summary>
    public sealed class InvokeResponse
    {
        public int StatusCode { get; internal set; }
        public bool Yielded { get; internal set; }
        public uint BacklogRemaining { get; internal set; }
        /// <summary>The guest's error code, null when it set none.</summary>
        public string ErrorCode { get; internal set; }
        /// <summary>The guest's error message, null when it set none.</summary>
        public string ErrorMessage { get; internal set; }
        public IList<OutputFrame> Outputs { get; internal set; }
        /// <summary>The library's JSON of the response (sdm_invoke_response_to_json).</summary>
        public string Json { get; internal set; }
    }

    /// <summary>Typed invoke envelopes over the JSON entry points.</summary>
    public static partial class Sdm
    {
        /// <summary>An encoded PluginInvokeRequest calling <paramref name="methodId"/> with
        /// <paramref name="inputs"/> in order (sdm_invoke_request_from_json).</summary>
        public static byte[] EncodeInvokeRequest(string methodId, IList<InputFrame> inputs)
        {
            Interop.RequireNotNull(methodId, "methodId");
            Interop.RequireNotNull(inputs, "inputs");
            var json = new StringBuilder();
            json.Append("{\"methodId\":").Append(JsonReader.Quote(methodId)).Append(",\"inputs\":[");
            for (int i = 0; i < inputs.Count; i++)
            {
                InputFrame frame = inputs[i];
                Interop.RequireNotNull(frame, "inputs[" + i + "]");
                if (i > 0)
                    json.Append(',');
                json.Append("{\"portId\":").Append(JsonReader.Quote(frame.PortId)).Append(",\"payload\":[");
                for (int b = 0; b < frame.Payload.Length; b++)
                {
                    if (b > 0)
                        json.Append(',');
                    json.Append(frame.Payload[b].ToString(CultureInfo.InvariantCulture));
                }
                json.Append("]}");
            }
            json.Append("]}");
            return InvokeRequestFromJson(json.ToString());
        }

        /// <summary>Decodes (and verifies) an encoded PluginInvokeResponse into typed frames
        /// (sdm_invoke_response_to_json).</summary>
        public static InvokeResponse DecodeInvokeResponse(byte[] response)
        {
            string json = InvokeResponseToJson(response);
            try
            {
                var root = (Dictionary<string, object>)JsonReader.Parse(json);
                var outputs = new List<OutputFrame>();
                foreach (object item in (List<object>)root["outputs"])
                    outputs.Add(ReadFrame((Dictionary<string, object>)item));
                return new InvokeResponse
                {
                    StatusCode = checked((int)(long)root["statusCode"]),
                    Yielded = (bool)root["yielded"],
                    BacklogRemaining = checked((uint)(long)root["backlogRemaining"]),
                    ErrorCode = (string)root["errorCode"],
                    ErrorMessage = (string)root["errorMessage"],
                    Outputs = outputs.AsReadOnly(),
                    Json = json,
                };
            }
            catch (Exception error)
            {
                if (error is SdmException)
                    throw;
                // The library wrote it: a shape this wrapper cannot read is a version mismatch.
                throw new SdmException(ErrorCodes.Internal, "unexpected response JSON from the library: " + error.Message);
            }
        }

        static OutputFrame ReadFrame(Dictionary<string, object> frame)
        {
            object typeRef = frame["typeRef"];
            return new OutputFrame
            {
                PortId = (string)frame["portId"],
                TypeRef = typeRef == null ? null : ReadTypeRef((Dictionary<string, object>)typeRef),
                Alignment = checked((ushort)(long)frame["alignment"]),
                Offset = checked((uint)(long)frame["offset"]),
                Size = checked((uint)(long)frame["size"]),
                Ownership = checked((byte)(long)frame["ownership"]),
                Generation = checked((uint)(long)frame["generation"]),
                Mutability = checked((byte)(long)frame["mutability"]),
                TraceId = ulong.Parse((string)frame["traceId"], NumberStyles.None, CultureInfo.InvariantCulture),
                StreamId = checked((uint)(long)frame["streamId"]),
                Sequence = ulong.Parse((string)frame["sequence"], NumberStyles.None, CultureInfo.InvariantCulture),
                EndOfStream = (bool)frame["endOfStream"],
                Payload = ReadBytes(frame["payload"]),
            };
        }

        static TypeRef ReadTypeRef(Dictionary<string, object> typeRef)
        {
            return new TypeRef
            {
                SchemaName = (string)typeRef["schemaName"],
                FileIdentifier = (string)typeRef["fileIdentifier"],
                SchemaHash = ReadBytes(typeRef["schemaHash"]),
                AcceptsAnyFlatbuffer = (bool)typeRef["acceptsAnyFlatbuffer"],
                WireFormat = (string)typeRef["wireFormat"],
                RootTypeName = (string)typeRef["rootTypeName"],
                FixedStringLength = checked((ushort)(long)typeRef["fixedStringLength"]),
                ByteLength = checked((uint)(long)typeRef["byteLength"]),
                RequiredAlignment = checked((ushort)(long)typeRef["requiredAlignment"]),
            };
        }

        static byte[] ReadBytes(object array)
        {
            var items = (List<object>)array;
            var bytes = new byte[items.Count];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = checked((byte)(long)items[i]);
            return bytes;
        }
    }
}

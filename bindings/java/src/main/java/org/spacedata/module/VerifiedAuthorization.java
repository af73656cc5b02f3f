package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;

/** A verified authorization: the trusted key that signed it and its payload. */
public record VerifiedAuthorization(String signerPublicKeyHex, JsonNode payload) {}

package org.spacedata.module;

/** The unsigned {@code protected} header members copied into an authorization envelope. */
public record SignerInfo(String derivationPath, String keyId) {}

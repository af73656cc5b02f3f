package org.spacedata.module;

/** A protected artifact and its report. */
public record ProtectedArtifact(byte[] artifact, ProtectResult result) {}

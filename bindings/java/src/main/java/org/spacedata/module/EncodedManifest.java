package org.spacedata.module;

import java.util.List;

/**
 * A manifest in its {@code PMAN} FlatBuffer form, with the reference's normalization warnings
 * (spec 4.4) in its order and wording.
 */
public record EncodedManifest(byte[] bytes, List<String> warnings) {}

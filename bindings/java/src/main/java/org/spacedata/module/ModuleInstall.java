package org.spacedata.module;

/** The result of an install: the module's record, and the replaced version's ({@code null} for a first install). */
public record ModuleInstall(ModuleRecord module, ModuleRecord previous) {}

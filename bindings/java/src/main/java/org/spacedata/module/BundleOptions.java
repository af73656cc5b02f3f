package org.spacedata.module;

/**
 * Options of {@link Bundles#create} beyond the module and its manifest (core
 * {@code BundleOptions}); every member optional ({@code null}: the core's default). JSON
 * documents are given as text.
 */
public record BundleOptions(
        String authorizationJson,
        String deploymentPlanJson,
        String bundleSectionName,
        String stripPrefix,
        String moduleFormat) {
    /** Every default. */
    public static BundleOptions defaults() {
        return new BundleOptions(null, null, null, null, null);
    }

    public BundleOptions withAuthorizationJson(String json) {
        return new BundleOptions(json, deploymentPlanJson, bundleSectionName, stripPrefix, moduleFormat);
    }

    public BundleOptions withDeploymentPlanJson(String json) {
        return new BundleOptions(authorizationJson, json, bundleSectionName, stripPrefix, moduleFormat);
    }
}

package com.mediaflow.shared.metrics;

/** The units of the CloudWatch embedded metric format that Mediaflow's metrics use, spelled as the spec spells them. */
enum MetricUnit {
    COUNT("Count"),
    BYTES("Bytes"),
    MILLISECONDS("Milliseconds");

    private final String emfName;

    MetricUnit(String emfName) {
        this.emfName = emfName;
    }

    /** The name in an EMF document's {@code Unit} field. */
    public String emfName() {
        return emfName;
    }
}

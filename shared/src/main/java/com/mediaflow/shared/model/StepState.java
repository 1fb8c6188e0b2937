package com.mediaflow.shared.model;

/**
 * Where one step of an item stands, as its manifest's {@code steps} map records it. Written by its
 * name ({@code "PENDING"}, {@code "DONE"}).
 */
public enum StepState {
    /** Validate sent the step its message; finalize has not merged its result yet. */
    PENDING,
    /** Finalize merged the step's result into the manifest. */
    DONE
}

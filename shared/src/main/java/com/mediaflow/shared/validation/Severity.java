package com.mediaflow.shared.validation;

/** ERROR rejects the upload; WARNING is recorded and the upload goes on. */
public enum Severity {
    ERROR,
    WARNING
}

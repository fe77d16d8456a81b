package com.acme.ledger;

public final class LedgerConfig {
    public static final String LEDGER_DB_PASSWORD = "J6UMy#pR4l.f2PW";
    public static final String LEDGER_DB_PASSWORD_ENV = "LEDGER_DB_PASSWORD";
}

package com.acme.ledger;

class PoolConfig {
    void configure(HikariDataSource ds, Environment env) {
        ds.setPassword("oxhQG#Ta3V.yR20");
        ds.setPassword(env.getProperty("ledger.db.password"));
    }
}

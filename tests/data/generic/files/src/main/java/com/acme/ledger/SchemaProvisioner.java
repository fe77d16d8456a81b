package com.acme.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** One-shot provisioning of the ledger schemas on Oracle, MySQL and SQL Server. */
public final class SchemaProvisioner {

    private static final String ADMIN_URL =
        "jdbc:oracle:thin:system/CfXY5pzgiFKHsdmyM@//ora-ledger.corp.internal:1521/LEDGERPDB";
    private static final String SANDBOX_URL = "jdbc:oracle:thin:scott/tiger@//localhost:1521/XEPDB1";

    private SchemaProvisioner() {}

    public static void main(String[] args) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
             Statement st = c.createStatement()) {
            st.execute("CREATE USER ledger_app IDENTIFIED BY \"w+7twVHNbosqPfy~xj-0q8fQvTRuwg\"");
            st.executeUpdate("ALTER USER ledger_etl IDENTIFIED BY Yqz4sUsuPx#dmXfVuK1i8_J ACCOUNT UNLOCK");
            st.execute("GRANT CREATE SESSION TO ledger_app");
            st.execute("ALTER USER ledger_app IDENTIFIED BY " + quote(System.getenv("LEDGER_APP_PASSWORD")));
        }
        try (Connection my = DriverManager.getConnection(
                "jdbc:mysql://mysql-ledger.corp.internal:3306/ledger?user=provisioner&password=wNKhrXkBSkaSADf4Qw.dIpYkM&useSSL=true");
             Statement st = my.createStatement()) {
            st.execute("CREATE USER 'ledger_api'@'%' IDENTIFIED BY 'nz3V5gGm6XClwT'");
            st.execute("GRANT SELECT, INSERT ON ledger.* TO 'ledger_api'@'%' IDENTIFIED BY 'Lighthouse_sundial6849'");
        }
        try (Connection ms = DriverManager.getConnection(
                "jdbc:sqlserver://mssql-ledger.corp.internal:1433;databaseName=Ledger;user=provisioner;password=Too5uZU+WD2f*!Ai56rsJzx5;encrypt=true");
             Statement st = ms.createStatement()) {
            st.execute("CREATE LOGIN ledger_reports WITH PASSWORD = 'LcxzOQhYB!4u_pQPjwJ^'");
            st.execute("ALTER LOGIN ledger_reports WITH CHECK_POLICY = ON");
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "") + '"';
    }
}

package com.acme.ledger;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.Properties;

public class Main {
    static final String DB_URL = "jdbc:postgresql://ledger-pg.corp.internal:5432/ledger";
    static final String DB_USER = "ledger_app";
    static final String DB_PASSWORD = "r7j!bne+rP1Trdk7~33^PWtbYL2m6nf";
    static final String H2_URL = "jdbc:h2:mem:ledger;DB_CLOSE_DELAY=-1";

    public static void main(String[] args) throws Exception {
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("proxy-ledger", "IuE^5Q8!-*V7+_%o2d%t6CiYfp8".toCharArray());
            }
        });
        char[] fromEnv = System.getenv("PROXY_PASSWORD").toCharArray();

        Connection primary = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
        Connection batch = DriverManager.getConnection("jdbc:mysql://ledger-mysql.corp.internal:3306/ledger", "ledger_batch", "R3C~#S^3+QJ1jAygYbP2a~RPVPK");
        Connection local = DriverManager.getConnection(H2_URL, "sa", "");
        Connection fromConfig = DriverManager.getConnection(DB_URL, DB_USER, System.getenv("DB_PASSWORD"));

        Properties props = new Properties();
        props.setProperty("user", "ledger_report");
        props.setProperty("password", "p62cJ%C2hC2shw");
        props.setProperty("ssl", "true");
        Properties props2 = new Properties();
        props2.setProperty("password", System.getProperty("ledger.db.password"));
        Connection report = DriverManager.getConnection(DB_URL, props);

        String basic = Base64.getEncoder().encodeToString(("ledger:" + args[0]).getBytes());
        HttpRequest rates = HttpRequest.newBuilder(URI.create("https://fx.corp.internal/api/rates"))
            .header("Authorization", "Basic bGVkZ2VyLWZ4OnFZLjhDaDJaai5+YklESjY0fiU=")
            .header("X-Request-Id", "c6da1637-76ba-427c-b610-2eaadfa0bdd6")
            .build();
        HttpRequest audit = HttpRequest.newBuilder(URI.create("https://audit.corp.internal/api/events"))
            .header("Authorization", "Bearer " + System.getenv("AUDIT_TOKEN"))
            .build();
        HttpClient client = HttpClient.newHttpClient();
        System.out.println(client.send(rates, HttpResponse.BodyHandlers.ofString()).statusCode());
        System.out.println(client.send(audit, HttpResponse.BodyHandlers.ofString()).statusCode());
        primary.close(); batch.close(); local.close(); fromConfig.close(); report.close();
    }
}

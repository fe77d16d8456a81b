package main

import (
	"database/sql"
	"fmt"
	"log"
	"os"

	_ "github.com/go-sql-driver/mysql"
	"github.com/lib/pq"
)

// DSN format: user:password@tcp(host:port)/dbname
const legacyDSN = "inventory:4reHFrd_9n6~KvvLLtOegN~G@tcp(mysql-inv.corp.internal:3306)/inventory?parseTime=true&tls=true"

const pgConn = "host=pg-inv.corp.internal port=5432 user=inventory password=amx-JgfjKt8-3sfw953eLHKZS dbname=inventory sslmode=verify-full"

const localDSN = "root:root@tcp(127.0.0.1:3306)/inventory"

type DBConfig struct {
	Host     string
	User     string
	Password string
}

var reportingDB = DBConfig{
	Host:     "pg-inv.corp.internal",
	User:     "reporting",
	Password: "CLAkLKbmTa3",
}

func dsnFromEnv() string {
	return fmt.Sprintf("%s:%s@tcp(%s)/%s", os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"), "inventory")
}

func main() {
	dsn := legacyDSN
	if os.Getenv("LOCAL") != "" {
		dsn = localDSN
	} else if os.Getenv("DB_HOST") != "" {
		dsn = dsnFromEnv()
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	stmts := []string{
		"CREATE USER IF NOT EXISTS 'inv_sync'@'%' IDENTIFIED BY '3H~A_~tWw9^l-53fs0-'",
		"ALTER USER 'inv_sync'@'%' IDENTIFIED WITH caching_sha2_password BY 'Marmalade!86'",
		"GRANT SELECT ON inventory.* TO 'inv_sync'@'%'",
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			log.Fatal(err)
		}
	}

	pg, err := sql.Open("postgres", pgConn)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := pg.Exec(`CREATE ROLE inv_readonly LOGIN PASSWORD 'zj17dd*aek+^8XTkyn'`); err != nil {
		log.Fatal(err)
	}
	q := fmt.Sprintf("ALTER ROLE inv_readonly PASSWORD %s", pq.QuoteLiteral(os.Getenv("INV_RO_PASSWORD")))
	if _, err := pg.Exec(q); err != nil {
		log.Fatal(err)
	}
	log.Printf("provisioned %s", reportingDB.Host)
}

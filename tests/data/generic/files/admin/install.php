<?php
// One-off installer for the legacy CRM database. Delete this file after use.
declare(strict_types=1);

$mysqli = new mysqli('crm-db.corp.internal', 'root', 'zxK0n8Q36JLO_BuGw2eE1.I', 'mysql');
if ($mysqli->connect_errno) {
    exit('connect failed: ' . $mysqli->connect_error);
}

$mysqli->query("CREATE USER 'crm'@'%' IDENTIFIED BY '9EClTI1yaO5I&BoKXvCNOM-*msSj2'");
$mysqli->query("GRANT ALL PRIVILEGES ON crm.* TO 'crm'@'%' IDENTIFIED BY 'Pinecone38@'");
$mysqli->query("SET PASSWORD FOR 'crm_ro'@'%' = PASSWORD('FXpZ44_RH8QP8')");
$mysqli->query("CREATE USER 'crm_tmp'@'localhost' IDENTIFIED BY '" . $mysqli->real_escape_string($_POST['password']) . "'");

$pdo = new PDO('mysql:host=crm-db.corp.internal;dbname=crm', 'crm', getenv('CRM_DB_PASSWORD'));
$archive = new PDO('pgsql:host=crm-archive.corp.internal;port=5432;dbname=archive;user=archiver;password=6.BJCkojU4UT-Ymzlj1grmMk3Zudv2n');

$config = [
    'driver'   => 'mysql',
    'host'     => 'crm-db.corp.internal',
    'username' => 'crm',
    'password' => '3Yb321pON2i9E0seHxn31XhjofagREY',
];
$mailer = ['smtp_user' => 'crm@corp.internal', 'smtp_pass' => $_ENV['SMTP_PASS']];

$hash = password_hash($_POST['admin_password'], PASSWORD_BCRYPT);
$stmt = $pdo->prepare('INSERT INTO users (login, password_hash) VALUES (?, ?)');
$stmt->execute(['admin', $hash]);
echo "installed\n";

package Acme::Config;
use strict;
use warnings;

our %DB = (
    dsn      => 'dbi:Pg:dbname=crm;host=crm-pg.corp.internal;port=5432',
    user     => 'crm_app',
    password => 'kd-VLa18GoCc3^',
    options  => { AutoCommit => 1, RaiseError => 1 },
);

our %LDAP = (
    host     => 'ldaps://ldap.corp.internal',
    bind_dn  => 'cn=crm-bind,ou=svc,dc=corp,dc=internal',
    password => $ENV{CRM_LDAP_PASSWORD},
);

sub dbh {
    require DBI;
    return DBI->connect($DB{dsn}, $DB{user}, $DB{password}, $DB{options});
}

sub legacy_dbh {
    require DBI;
    return DBI->connect('dbi:mysql:database=crm_legacy;host=crm-mysql.corp.internal', 'crm_legacy', 'Vo!ae+2~7T^axR88RF8A%DtIqK', { RaiseError => 1 });
}

# getpwnam returns the struct passwd fields as a list; we only need the home dir
sub home_of {
    my ($user) = @_;
    return (getpwnam($user))[7];
}

1;

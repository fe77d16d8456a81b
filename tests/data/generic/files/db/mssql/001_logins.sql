-- SQL Server logins and users for the Billing database.
-- sqlcmd -S billing-sql01.corp.internal -E -i db/mssql/001_logins.sql -v ReaderPassword="%READER_PW%"
USE [master];
GO

CREATE LOGIN [billing_app] WITH PASSWORD = N'8Jj5*1b76d', CHECK_POLICY = ON, DEFAULT_DATABASE = [Billing];
CREATE LOGIN billing_jobs WITH PASSWORD = 'Copperfield_halcyon70' MUST_CHANGE, CHECK_EXPIRATION = ON;
CREATE LOGIN [CORP\svc-billing] FROM WINDOWS WITH DEFAULT_DATABASE = [Billing];
CREATE LOGIN billing_reader WITH PASSWORD = '$(ReaderPassword)';
CREATE LOGIN legacy_import WITH PASSWORD = 0x02007C2711D46A57592CE1914C7C6AFA02C8EC39CBBD4F32652A078EE33656460C4500B9E2D990961E7AB9ADEC24423FADB2148E086937354245183B61B88992FFCB2F71BD89 HASHED;
-- template: CREATE LOGIN <name> WITH PASSWORD = '<StrongPassword>';

ALTER LOGIN [sa] WITH PASSWORD = '4OH7KFXfEziInog!f1keu2sSi8kNmufx';
ALTER LOGIN [sa] DISABLE;
ALTER LOGIN billing_app WITH PASSWORD = 'SVUbDW#%AKW1~mpcQXbxj'
    OLD_PASSWORD = 'dh7hliZbg-!#f';
ALTER LOGIN billing_jobs WITH CHECK_POLICY = OFF;
GO

USE [Billing];
GO
CREATE USER [billing_app] FOR LOGIN [billing_app];
CREATE USER partner_api WITH PASSWORD = 'RwU5.WOY%2!f%Oq9!5';
ALTER ROLE db_datareader ADD MEMBER [billing_reader];

CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'g3&MRUXVIiILn5TPXvsO-LJSWw^Hk68tlEMx!29q';
CREATE CERTIFICATE CardCert WITH SUBJECT = 'Card number protection';
CREATE SYMMETRIC KEY CardKey WITH ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE CardCert;
OPEN SYMMETRIC KEY CardKey DECRYPTION BY CERTIFICATE CardCert;

CREATE DATABASE SCOPED CREDENTIAL ArchiveStore
    WITH IDENTITY = 'archive_loader',
    SECRET = 'PwbOpczs3%#%mjnC*pIu3sc%';
GO

EXEC master.dbo.sp_addlinkedserver @server = N'LEGACY01', @srvproduct = N'', @provider = N'MSOLEDBSQL', @datasrc = N'legacy01.corp.internal';
EXEC master.dbo.sp_addlinkedsrvlogin @rmtsrvname = N'LEGACY01', @useself = N'False', @locallogin = NULL, @rmtuser = N'link_user', @rmtpassword = N'Pinecone2226@';
EXEC master.dbo.sp_addlinkedsrvlogin @rmtsrvname = N'WAREHOUSE', @useself = N'True';
GO

-- Password policy: CHECK_POLICY = ON applies the Windows password complexity rules to SQL logins.
SELECT name, is_policy_checked, is_expiration_checked FROM sys.sql_logins;

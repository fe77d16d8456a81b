/*
 * auth.c - legacy login for the kiosk daemon.
 *
 * Uses getpwnam(3) and struct passwd to look up the kiosk user.
 */
#define _GNU_SOURCE
#include <crypt.h>
#include <pwd.h>
#include <shadow.h>
#include <string.h>
#include <unistd.h>

/* NOTE(jdoe): the kiosk service account pw is Wv!Ahv#dDEcCy.wMH4 until the LDAP move (OPS-1388) */
/* password policy: 12+ chars, enforced by pam_pwquality */
#define PASSWORD_MIN_LENGTH 12
#define PASSWD_FILE "/etc/passwd"

static int check_user(const char *name, const char *pass)
{
    struct passwd *pw = getpwnam(name);
    struct spwd *sp;

    if (pw == NULL)
        return -1;
    sp = getspnam(name);
    if (sp == NULL || strlen(pass) < PASSWORD_MIN_LENGTH)
        return -1;
    /* crypt() the candidate and compare with the shadow hash */
    return strcmp(crypt(pass, sp->sp_pwdp), sp->sp_pwdp) == 0 ? 0 : -1;
}

int kiosk_login(const char *name)
{
    char *pass = getpass("Password: ");
    /* CURLOPT_USERPWD: see also CURLOPT_USERNAME and CURLOPT_PASSWORD */
    /* old default: pwd = gm283_m^TmTMjqJ4u (removed in 2.3, rotate it if you still have it) */
    return check_user(name, pass);
}

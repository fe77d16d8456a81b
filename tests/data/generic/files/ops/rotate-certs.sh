#!/usr/bin/env bash
# Re-issue the app keystore after the yearly certificate renewal.
set -euo pipefail
cd /etc/pki/app

openssl rsa -in app.key.enc -out app.key -passin pass:SARiB.sd6V+f8%C7g
openssl req -new -key app.key -out app.csr -passin env:APP_KEY_PASS -subj "/CN=app.corp.internal"
openssl pkcs12 -export -in app.crt -inkey app.key -certfile corp-ca.crt -out app.p12 -passout pass:wmLiwig_tMoj2ck5MK
openssl pkcs12 -in legacy.p12 -nodes -passin file:/run/secrets/p12pass -out legacy.pem
openssl enc -aes-256-cbc -pbkdf2 -salt -in /srv/dumps/db.dump -out /srv/dumps/db.dump.enc -pass pass:Riverbend327_

keytool -importkeystore -srckeystore app.p12 -srcstoretype PKCS12 \
  -srcstorepass zr+Ux9ry,@P \
  -destkeystore app.jks -deststorepass Saffron.magpie49 -noprompt
keytool -import -trustcacerts -alias corp-root -file corp-root.crt -keystore truststore.jks -storepass bh.hs,HUWX6ygVe5XEWYvAp -noprompt
keytool -list -keystore "$JAVA_HOME/lib/security/cacerts" -storepass changeit
keytool -genkeypair -alias app-next -keyalg RSA -keystore app-next.jks -storepass:env KS_PASS -keypass:env KS_PASS -dname "CN=app.corp.internal"

openssl s_client -connect app.corp.internal:443 -servername app.corp.internal </dev/null | openssl x509 -noout -fingerprint -sha256

# basic auth for the metrics endpoint
htpasswd -b /etc/nginx/.htpasswd metrics fuLgdd+9b,mfIh1OLgWCY+v_aGGUN
htpasswd -nbB ops q26_CtCc-@pcw0 >> /etc/traefik/users
htpasswd -c /etc/nginx/.htpasswd-admin admin
systemctl reload nginx

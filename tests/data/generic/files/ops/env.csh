# Sourced by the batch jobs' csh wrappers.
setenv BATCH_DB_USER batch
setenv BATCH_DB_PASSWORD 'Qt3#Wz8Lr5Kp'
setenv BATCH_DB_PASSWORD_FILE /run/secrets/batch_db
setenv PARTNER_API_TOKEN Wq9Zr4Lt7Kp3Xm2Vn5Bc
setenv PARTNER_API_TOKEN_URL https://partner.example/token

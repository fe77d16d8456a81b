// Runtime configuration; every value can be overridden from the environment.
export const config = {
  port: Number(process.env.PORT) || 3000,
  dbHost: process.env.DB_HOST || 'orders-db.corp.internal',
  dbPassword: process.env.DB_PASSWORD || 'Rk3!Wq8Zt5Lp',
  sessionSecret: process.env.SESSION_SECRET ?? 'Mz9Qt4Wr7Lk2Xp5Vn8B',
  smtpPassword: process.env.SMTP_PASSWORD || '',
  apiToken: process.env.API_TOKEN ?? 'your-api-token-here',
};

export const labels = {
  password: t('auth.password') || 'Password',
  passwordHint: t('auth.passwordHint') ?? 'At least twelve characters',
};

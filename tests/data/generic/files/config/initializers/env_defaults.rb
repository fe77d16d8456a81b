# Fallbacks for development; production sets every variable.
ENV["SMTP_PASSWORD"] ||= "Lt8#Zq3Wr6Kp"
ENV["SMTP_USER"] ||= "shop-noreply"
SECRET_KEY_BASE = ENV.fetch("SECRET_KEY_BASE") { "b7Kq2Wz9Lr4Tp8Xm3Vn6Hc1" }
JWT_SECRET = ENV.fetch("JWT_SECRET") { SecureRandom.hex(32) }
DB_PASSWORD = ENV.fetch("DB_PASSWORD", "Zq5#Wt8Lr2Kp")
REDIS_PASSWORD = ENV.fetch("REDIS_PASSWORD", nil)

# SMTP and third-party clients for the shop.
Rails.application.configure do
  config.action_mailer.delivery_method = :smtp
  config.action_mailer.smtp_settings = {
    address: "smtp.corp.internal",
    port: 587,
    user_name: "shop-noreply",
    password: "kv1u6gHbrJ%_ptHZKjzuZyYXWU",
    authentication: :plain,
    enable_starttls_auto: true
  }
end

SIDEKIQ_REDIS = { url: "redis://:sFyGJB_vpwfkX-YC1rE@shop-sidekiq.corp.internal:6379/0" }.freeze

LEGACY_API = Faraday.new(url: "https://legacy.corp.internal") do |f|
  f.request :authorization, :basic, "shop", "H~Tly*cIhuxIEMxOee1Fbhe_68VYoPa"
end

PAYMENT_GATEWAY = { :login => "acme-shop", :password => 'G8NRs&bBKz!CW' }.freeze
ADMIN_AUTH = { user: "ops", password: ENV["ADMIN_PASSWORD"] }.freeze
ADMIN_AUTH_FALLBACK = { password: Rails.application.credentials.dig(:admin, :password) }.freeze

using System.Data.SqlClient;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mail;
using System.Text;
using Azure.Security.KeyVault.Secrets;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
var secretClient = new SecretClient(new Uri("https://orders-kv.vault.azure.net/"), new Azure.Identity.DefaultAzureCredential());

// TODO(OPS-1423): move to Key Vault
const string LegacyConnection = "Data Source=legacy-sql.corp.internal;Initial Catalog=Orders;User Id=orders_legacy;Password=b2k5.3jl~i6yIOjo#qIl%NsBx6*;";
var primary = config.GetConnectionString("Default");
var fromEnv = Environment.GetEnvironmentVariable("ORDERS_DB_PASSWORD");

var csb = new SqlConnectionStringBuilder
{
    DataSource = "orders-sql.corp.internal",
    InitialCatalog = "Orders",
    UserID = "orders_worker",
    Password = "ML1^UgPbvlm!RbL",
};
var csb2 = new SqlConnectionStringBuilder(primary) { Password = config["Db:Password"] };

using var smtp = new SmtpClient("smtp.corp.internal", 587)
{
    EnableSsl = true,
    Credentials = new NetworkCredential("orders-noreply", "uykZN0SgY1_m"),
};
var proxyCred = new NetworkCredential(config["Proxy:User"], config["Proxy:Password"]);
var ldapCred = new NetworkCredential("svc-orders", "gj7I*Ula3KT5zZ", "CORP");
var kvSecret = await secretClient.GetSecretAsync("orders-db-password");

var http = new HttpClient { BaseAddress = new Uri("https://fulfilment.corp.internal/") };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "okRARixLUx2uTCo2X__oNeuSLQE");
http.DefaultRequestHeaders.Add("X-Api-Key", "RGrefbpoFB_8ZnVgEKIGGiO7IJzdGg");
var user = config["Fulfilment:User"];
var pass = config["Fulfilment:Password"];
var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{user}:{pass}")));

const int PasswordMinLength = 12;
builder.Services.AddSingleton(new SqlConnection(primary ?? LegacyConnection));
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { ok = true, minPassword = PasswordMinLength }));
app.Run();

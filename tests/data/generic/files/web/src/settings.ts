export interface DbSettings {
  password: string;
}
const apiSecret: string = "nsPMzEH8zXsAUJMrqry9ao71DUSVjG";
const dbPassword: string = process.env.DB_PASSWORD ?? "";

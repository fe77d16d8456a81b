'use strict';
const express = require('express');
const axios = require('axios');
const { Pool } = require('pg');
const mysql = require('mysql2/promise');

const app = express();
app.use(express.json());

const pool = new Pool({
  host: 'orders-pg.corp.internal',
  user: 'orders_web',
  password: '863itZIK7SP6',
  database: 'orders',
});
const legacy = mysql.createPool({ host: process.env.LEGACY_DB_HOST, user: 'orders', password: process.env.LEGACY_DB_PASSWORD });
const mongoUrl = process.env.MONGO_URL || 'mongodb://localhost:27017/orders';

const erp = axios.create({
  baseURL: 'https://erp.corp.internal/api',
  auth: { username: 'orders-sync', password: 'aZkiw4QY2mqRdAZ2rmM^y' },
});
const partner = axios.create({
  baseURL: 'https://api.partner.example/v2',
  headers: { Authorization: 'Bearer qASH6b4UPWGA6xpuIcpYMFskLhx_-5apLQ' },
});
const billing = axios.create({
  baseURL: 'https://billing.corp.internal',
  headers: { Authorization: `Bearer ${process.env.BILLING_TOKEN}` },
});
const fxAuth = 'Basic ' + Buffer.from('orders-fx:gG+DpDSf!4jUkmgQOQO384D').toString('base64');

const stripePublishableKey = 'pk_live_OHOKygPEhfAJJ9gtLBpNBwOxVFp2BByjAeSHSSNT';
const googleClientId = '422366066115-68k74n1xssao0nslonpvfxk4xxw2ersu.apps.googleusercontent.com';
// TODO remove before go-live: admin password is 3Siu&nM^PvJm
// password must be at least PASSWORD_MIN_LENGTH characters
const PASSWORD_MIN_LENGTH = 12;

app.get('/health', (req, res) => res.json({ ok: true }));
app.get('/config.js', (req, res) => res.type('js').send(`window.cfg=${JSON.stringify({ stripePublishableKey, googleClientId })}`));
app.post('/login', async (req, res) => {
  const { username, password } = req.body;
  if (!password || password.length < PASSWORD_MIN_LENGTH) return res.status(400).end();
  const { rows } = await pool.query('SELECT id, password_hash FROM users WHERE login = $1', [username]);
  res.json({ ok: rows.length === 1 });
});
app.get('/fx', async (req, res) => {
  const r = await axios.get('https://fx.corp.internal/rates', { headers: { Authorization: fxAuth } });
  res.json(r.data);
});
module.exports = { app, erp, partner, billing, legacy, mongoUrl };
app.listen(process.env.PORT || 3000);

-- The contract between ProAlto's core system and the WhatsApp bot: three read-only
-- relations in a schema `proalto_bot`, whose columns are exactly the fields of the import
-- format (README, "The core system"). This file creates them as TABLES: the bot's test suite
-- plays the core with it. In ProAlto's database they are normally VIEWS over the loan
-- schema (see proalto_bot_views.example.sql); either way the bot only runs SELECTs.
--
-- Keys: customers(cedula), credits(number), applications(number). Every row carries
-- `updated_at`, the moment it last changed in the core (it drives `sync_portfolio`).

CREATE SCHEMA IF NOT EXISTS proalto_bot;

CREATE TABLE proalto_bot.customers (
    cedula            varchar(12)  PRIMARY KEY CHECK (cedula ~ '^[0-9]{5,10}$'),
    full_name         varchar(200) NOT NULL,
    phone             varchar(20)  NOT NULL,  -- mobile, E.164 digits without '+': 573001234567
    birth_date        date,
    cedula_issue_date date,
    updated_at        timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE proalto_bot.credits (
    number              varchar(32)   PRIMARY KEY,
    cedula              varchar(12)   NOT NULL REFERENCES proalto_bot.customers (cedula),
    pagaduria           varchar(120)  NOT NULL,
    disbursed_amount    numeric(14,2) NOT NULL CHECK (disbursed_amount >= 0),
    balance             numeric(14,2) NOT NULL CHECK (balance >= 0),
    installments_total  integer       NOT NULL CHECK (installments_total >= 1),
    installments_paid   integer       NOT NULL CHECK (installments_paid BETWEEN 0 AND installments_total),
    installment_amount  numeric(14,2) NOT NULL CHECK (installment_amount >= 0),
    next_deduction_date date,
    status              varchar(16)   NOT NULL CHECK (status IN ('active', 'paid', 'arrears')),
    updated_at          timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE proalto_bot.applications (
    number     varchar(32) PRIMARY KEY,
    cedula     varchar(12) NOT NULL REFERENCES proalto_bot.customers (cedula),
    stage      varchar(16) NOT NULL
               CHECK (stage IN ('recepcion', 'estudio', 'aprobacion', 'desembolso', 'rechazada')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The bot's queries: a customer by cédula (the key) or by phone; a customer's credits and
-- applications; and, for sync_portfolio, every relation in (updated_at, key) order.
CREATE INDEX customers_phone ON proalto_bot.customers (phone);
CREATE INDEX customers_updated ON proalto_bot.customers (updated_at, cedula);
CREATE INDEX credits_cedula ON proalto_bot.credits (cedula);
CREATE INDEX credits_updated ON proalto_bot.credits (updated_at, number);
CREATE INDEX applications_cedula ON proalto_bot.applications (cedula, updated_at DESC);
CREATE INDEX applications_updated ON proalto_bot.applications (updated_at, number);

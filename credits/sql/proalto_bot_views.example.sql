-- Example: the proalto_bot contract as VIEWS over a typical loan schema ("cartera", see
-- loan_schema.example.sql). ProAlto's IT adapts the FROM/CASE parts to its own tables;
-- the view names, column names, types and value sets must stay exactly as here
-- (README, "The core system"). Run as the owner of both schemas, then proalto_bot_grants.sql.
--
-- Indexes the bot's queries need on the base tables (names as in this example):
--   cartera.clientes (numero_documento) UNIQUE, cartera.clientes (celular),
--   cartera.creditos (cliente_id), cartera.solicitudes (cliente_id),
--   and (modificado_en) on each of the three for sync_portfolio.
CREATE SCHEMA IF NOT EXISTS proalto_bot;

CREATE VIEW proalto_bot.customers AS
SELECT c.numero_documento::varchar(12)                       AS cedula,
       (c.nombres || ' ' || c.apellidos)::varchar(200)        AS full_name,
       ('57' || right(regexp_replace(c.celular, '\D', '', 'g'), 10))::varchar(20) AS phone,
       c.fecha_nacimiento                                     AS birth_date,
       c.fecha_expedicion                                     AS cedula_issue_date,
       c.modificado_en                                        AS updated_at
  FROM cartera.clientes c
 WHERE c.tipo_documento = 'CC';

CREATE VIEW proalto_bot.credits AS
SELECT k.numero::varchar(32)                                  AS number,
       c.numero_documento::varchar(12)                        AS cedula,
       p.nombre::varchar(120)                                 AS pagaduria,
       k.monto_desembolsado                                   AS disbursed_amount,
       k.saldo_capital                                        AS balance,
       k.plazo_meses                                          AS installments_total,
       k.cuotas_pagadas                                       AS installments_paid,
       k.valor_cuota                                          AS installment_amount,
       k.proximo_descuento                                    AS next_deduction_date,
       (CASE k.estado WHEN 'CANCELADO' THEN 'paid'
                      WHEN 'MORA' THEN 'arrears'
                      WHEN 'CASTIGADO' THEN 'arrears'
                      ELSE 'active' END)::varchar(16)         AS status,
       greatest(k.modificado_en, c.modificado_en)             AS updated_at
  FROM cartera.creditos k
  JOIN cartera.clientes c ON c.id = k.cliente_id
  JOIN cartera.pagadurias p ON p.id = k.pagaduria_id
 WHERE c.tipo_documento = 'CC';

CREATE VIEW proalto_bot.applications AS
SELECT s.radicado::varchar(32)                                AS number,
       c.numero_documento::varchar(12)                        AS cedula,
       (CASE s.estado WHEN 'RADICADA' THEN 'recepcion'
                      WHEN 'EN_ESTUDIO' THEN 'estudio'
                      WHEN 'APROBADA' THEN 'aprobacion'
                      WHEN 'DESEMBOLSADA' THEN 'desembolso'
                      ELSE 'rechazada' END)::varchar(16)      AS stage,
       s.modificado_en                                        AS updated_at
  FROM cartera.solicitudes s
  JOIN cartera.clientes c ON c.id = s.cliente_id
 WHERE c.tipo_documento = 'CC';

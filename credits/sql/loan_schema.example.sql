-- A typical loan schema ("cartera"), only to show (and test) proalto_bot_views.example.sql.
-- ProAlto's real tables will differ: adapt the views, keep their columns.
CREATE SCHEMA IF NOT EXISTS cartera;
CREATE TABLE cartera.clientes (
    id                  bigserial PRIMARY KEY,
    tipo_documento      varchar(4)  NOT NULL DEFAULT 'CC',
    numero_documento    varchar(12) NOT NULL UNIQUE,
    nombres             varchar(100) NOT NULL,
    apellidos           varchar(100) NOT NULL,
    celular             varchar(15) NOT NULL,  -- 10 digits, without the country code
    fecha_nacimiento    date,
    fecha_expedicion    date,
    modificado_en       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE cartera.pagadurias (id bigserial PRIMARY KEY, nombre varchar(120) NOT NULL);
CREATE TABLE cartera.creditos (
    id                  bigserial PRIMARY KEY,
    numero              varchar(32) NOT NULL UNIQUE,
    cliente_id          bigint NOT NULL REFERENCES cartera.clientes (id),
    pagaduria_id        bigint NOT NULL REFERENCES cartera.pagadurias (id),
    monto_desembolsado  numeric(14,2) NOT NULL,
    saldo_capital       numeric(14,2) NOT NULL,
    plazo_meses         integer NOT NULL,
    cuotas_pagadas      integer NOT NULL,
    valor_cuota         numeric(14,2) NOT NULL,
    proximo_descuento   date,
    estado              varchar(12) NOT NULL,  -- VIGENTE, CANCELADO, MORA, CASTIGADO
    modificado_en       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE cartera.solicitudes (
    id                  bigserial PRIMARY KEY,
    radicado            varchar(32) NOT NULL UNIQUE,
    cliente_id          bigint NOT NULL REFERENCES cartera.clientes (id),
    estado              varchar(16) NOT NULL,  -- RADICADA, EN_ESTUDIO, APROBADA, DESEMBOLSADA, NEGADA, DESISTIDA
    modificado_en       timestamptz NOT NULL DEFAULT now()
);

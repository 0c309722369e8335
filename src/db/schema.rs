// @generated automatically by Diesel CLI.

diesel::table! {
    api_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor -> Nullable<Text>,
        action -> Text,
        entity -> Text,
        entity_id -> Int8,
        house_id -> Nullable<Int8>,
        meter_id -> Nullable<Int8>,
        old -> Nullable<Jsonb>,
        new -> Nullable<Jsonb>,
    }
}

diesel::table! {
    apartments (id) {
        id -> Int8,
        house_id -> Int8,
        number -> Text,
        area -> Numeric,
        created_at -> Timestamptz,
        number_key -> Text,
        number_order -> Nullable<Numeric>,
        owners -> Int4,
        meter_impossible -> Bool,
    }
}

diesel::table! {
    apartment_residents (id) {
        id -> Int8,
        apartment_id -> Int8,
        valid_from -> Nullable<Date>,
        count -> Int4,
    }
}

diesel::table! {
    billing_run_prices (run_id, service) {
        run_id -> Int8,
        service -> Text,
        tariff_id -> Int8,
        price -> Numeric,
        valid_from -> Date,
    }
}

diesel::table! {
    billing_run_rates (run_id, service) {
        run_id -> Int8,
        service -> Text,
        normative -> Numeric,
        normative_from -> Date,
        coefficient -> Numeric,
    }
}

diesel::table! {
    billing_runs (id) {
        id -> Int8,
        house_id -> Int8,
        period -> Date,
        status -> Text,
        total -> Int4,
        processed -> Int4,
        cursor -> Nullable<Int8>,
        amount -> Numeric,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamptz>,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        started_by -> Nullable<Text>,
        stale_at -> Nullable<Timestamptz>,
        failure -> Nullable<Text>,
        services -> Nullable<Array<Text>>,
    }
}

diesel::table! {
    charges (id) {
        id -> Int8,
        run_id -> Int8,
        apartment_id -> Int8,
        period -> Date,
        service -> Text,
        quantity -> Numeric,
        unit -> Text,
        unit_price -> Numeric,
        amount -> Numeric,
        tariff_id -> Int8,
        tariff_valid_from -> Date,
        missing_reading -> Bool,
        explanation -> Jsonb,
        created_at -> Timestamptz,
        method -> Text,
        coefficient -> Nullable<Numeric>,
        excess -> Numeric,
    }
}

diesel::table! {
    houses (id) {
        id -> Int8,
        address -> Text,
        created_at -> Timestamptz,
        time_zone -> Text,
        closed_through -> Nullable<Date>,
        services -> Array<Text>,
    }
}

diesel::table! {
    login_attempts (key) {
        key -> Text,
        attempts -> Int4,
        window_started_at -> Timestamptz,
    }
}

diesel::table! {
    meters (id) {
        id -> Int8,
        apartment_id -> Int8,
        serial -> Text,
        kind -> Text,
        initial_reading -> Numeric,
        installed_on -> Nullable<Date>,
        created_at -> Timestamptz,
        serial_key -> Text,
        commissioned_on -> Nullable<Date>,
        verified_until -> Nullable<Date>,
        decommissioned_on -> Nullable<Date>,
    }
}

diesel::table! {
    meter_volumes (meter_id, period) {
        meter_id -> Int8,
        period -> Date,
        method -> Text,
        volume -> Numeric,
        run_id -> Int8,
    }
}

diesel::table! {
    normatives (id) {
        id -> Int8,
        service -> Text,
        value -> Numeric,
        valid_from -> Date,
        house_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    coefficients (id) {
        id -> Int8,
        service -> Text,
        value -> Numeric,
        valid_from -> Date,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    pending_forms (id_hash) {
        id_hash -> Text,
        action -> Text,
        fields -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reading_doubts (meter_id, period) {
        meter_id -> Int8,
        period -> Date,
    }
}

diesel::table! {
    readings (id) {
        id -> Int8,
        meter_id -> Int8,
        period -> Date,
        value -> Numeric,
        source -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        secret -> Text,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Nullable<Int8>,
        state -> Jsonb,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    tariffs (id) {
        id -> Int8,
        service -> Text,
        price -> Numeric,
        valid_from -> Date,
        house_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamptz,
        full_name -> Nullable<Text>,
        last_sign_in_at -> Nullable<Timestamptz>,
        blocked_at -> Nullable<Timestamptz>,
        locale -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> Int8,
        apartment_id -> Int8,
        number -> Text,
        holder -> Text,
        opening_balance -> Numeric,
        opening_period -> Date,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payment_imports (id) {
        id -> Int8,
        file_name -> Text,
        file_sha256 -> Text,
        imported_by -> Nullable<Text>,
        imported_at -> Timestamptz,
        imported -> Int4,
        unmatched -> Int4,
        duplicates -> Int4,
        amount -> Numeric,
    }
}

diesel::table! {
    payments (id) {
        id -> Int8,
        account_id -> Nullable<Int8>,
        account_number -> Text,
        paid_on -> Date,
        amount -> Numeric,
        period -> Nullable<Date>,
        source -> Text,
        operation -> Nullable<Text>,
        payer -> Text,
        address -> Text,
        import_id -> Nullable<Int8>,
        deleted_at -> Nullable<Timestamptz>,
        deleted_reason -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    key_rates (id) {
        id -> Int8,
        valid_from -> Date,
        rate -> Numeric,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    penalty_caps (id) {
        id -> Int8,
        valid_from -> Date,
        valid_to -> Date,
        rate -> Numeric,
    }
}

diesel::table! {
    due_days (id) {
        id -> Int8,
        valid_from -> Date,
        day -> Int4,
    }
}

diesel::table! {
    penalties (account_id, period) {
        run_id -> Int8,
        account_id -> Int8,
        period -> Date,
        amount -> Numeric,
        explanation -> Jsonb,
    }
}

diesel::table! {
    organization (id) {
        id -> Bool,
        name -> Text,
        inn -> Text,
        kpp -> Text,
        address -> Text,
        phone -> Text,
        email -> Text,
        bank_name -> Text,
        bic -> Text,
        account -> Text,
        corr_account -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(apartment_residents -> apartments (apartment_id));
diesel::joinable!(apartments -> houses (house_id));
diesel::joinable!(billing_run_prices -> billing_runs (run_id));
diesel::joinable!(billing_run_rates -> billing_runs (run_id));
diesel::joinable!(billing_runs -> houses (house_id));
diesel::joinable!(accounts -> apartments (apartment_id));
diesel::joinable!(charges -> apartments (apartment_id));
diesel::joinable!(charges -> billing_runs (run_id));
diesel::joinable!(charges -> tariffs (tariff_id));
diesel::joinable!(meters -> apartments (apartment_id));
diesel::joinable!(meter_volumes -> billing_runs (run_id));
diesel::joinable!(meter_volumes -> meters (meter_id));
diesel::joinable!(normatives -> houses (house_id));
diesel::joinable!(reading_doubts -> meters (meter_id));
diesel::joinable!(payments -> accounts (account_id));
diesel::joinable!(payments -> payment_imports (import_id));
diesel::joinable!(penalties -> accounts (account_id));
diesel::joinable!(penalties -> billing_runs (run_id));
diesel::joinable!(readings -> meters (meter_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(tariffs -> houses (house_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    api_tokens,
    apartment_residents,
    apartments,
    billing_run_prices,
    billing_run_rates,
    billing_runs,
    charges,
    coefficients,
    due_days,
    houses,
    key_rates,
    login_attempts,
    meter_volumes,
    meters,
    normatives,
    organization,
    payment_imports,
    payments,
    penalties,
    penalty_caps,
    pending_forms,
    reading_doubts,
    readings,
    server_secrets,
    sessions,
    tariffs,
    users,
);

-- Citizens, consents and referrals: personal data. Row-level security is
-- enabled and forced on every table here; the ministry's, agency's,
-- evaluator's and operator's roles get no grant on any of them at all.

CREATE TABLE hub.citizens (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- HMAC-SHA256 of the CPR number under the hub's key; NULL when anonymous.
  pseudonym       bytea,
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id), -- serving municipality
  home_id         uuid NOT NULL REFERENCES hub.organisations(id), -- home municipality
  alias           text NOT NULL CHECK (length(alias) BETWEEN 1 AND 200),
  birth_year      integer CHECK (birth_year BETWEEN 1900 AND 2100),
  gender          text CHECK (gender IN ('FEMALE','MALE','OTHER')),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
-- The same CPR in the same municipality is the same citizen.
CREATE UNIQUE INDEX citizens_pseudonym_per_municipality ON hub.citizens (municipality_id, pseudonym)
  WHERE pseudonym IS NOT NULL;
CREATE INDEX citizens_by_municipality ON hub.citizens (municipality_id, created_at DESC, id DESC);
CREATE INDEX citizens_by_pseudonym ON hub.citizens (pseudonym);

-- Hand-overs between municipalities, kept so that both sides see the history.
CREATE TABLE hub.citizen_transfers (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  citizen_id   uuid NOT NULL REFERENCES hub.citizens(id),
  from_id      uuid NOT NULL REFERENCES hub.organisations(id),
  to_id        uuid NOT NULL REFERENCES hub.organisations(id),
  reason       text NOT NULL,
  actor_sub    text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX citizen_transfers_by_citizen ON hub.citizen_transfers (citizen_id, at);

CREATE TABLE hub.consents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  citizen_id      uuid NOT NULL REFERENCES hub.citizens(id),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id),
  ngo_id          uuid NOT NULL REFERENCES hub.organisations(id),
  purpose         text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),
  details         text[] NOT NULL CHECK (cardinality(details) > 0),
  given_on        date NOT NULL,
  expires_on      date NOT NULL CHECK (expires_on >= given_on),
  withdrawn_at    timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE INDEX consents_by_citizen ON hub.consents (citizen_id, ngo_id);
CREATE INDEX consents_by_municipality ON hub.consents (municipality_id);

CREATE TABLE hub.referrals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  citizen_id      uuid NOT NULL REFERENCES hub.citizens(id),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id), -- the citizen's serving municipality now
  from_id         uuid NOT NULL REFERENCES hub.organisations(id), -- the municipality that sent it
  ngo_id          uuid REFERENCES hub.organisations(id),          -- addressee in the hub, or
  external_offer  text CHECK (length(external_offer) BETWEEN 1 AND 500), -- an offer outside it
  consent_id      uuid REFERENCES hub.consents(id),
  needs           text[] NOT NULL CHECK (cardinality(needs) > 0),
  message         text NOT NULL CHECK (length(message) <= 10000),
  shared_details  jsonb NOT NULL DEFAULT '[]',
  contact         text NOT NULL CHECK (length(contact) <= 500),
  status          text NOT NULL CHECK (status IN ('REQUESTED','RECEIVED','ACCEPTED','REJECTED',
                    'IN_PROGRESS','COMPLETED','FAILED','CANCELLED')),
  outcome         text,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CHECK ((ngo_id IS NULL) <> (external_offer IS NULL)),
  CHECK (ngo_id IS NULL OR consent_id IS NOT NULL)
);
-- The NGO inbox and the municipality's list: keyset pages, newest first.
CREATE INDEX referrals_inbox ON hub.referrals (ngo_id, created_at DESC, id DESC);
CREATE INDEX referrals_by_municipality ON hub.referrals (municipality_id, created_at DESC, id DESC);
CREATE INDEX referrals_by_citizen ON hub.referrals (citizen_id);
CREATE INDEX referrals_by_consent ON hub.referrals (consent_id) WHERE consent_id IS NOT NULL;

-- Every transition (who, when, why) and every progress note.
CREATE TABLE hub.referral_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id     uuid NOT NULL REFERENCES hub.referrals(id),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id),
  ngo_id          uuid REFERENCES hub.organisations(id),
  kind            text NOT NULL CHECK (kind IN ('TRANSITION','NOTE')),
  from_status     text,
  to_status       text,
  text            text CHECK (length(text) <= 10000),
  actor_sub       text NOT NULL,
  actor_org_id    uuid NOT NULL REFERENCES hub.organisations(id),
  at              timestamptz NOT NULL
);
CREATE INDEX referral_events_by_referral ON hub.referral_events (referral_id, at, id);

-- Idempotency keys: a retry with the same key returns the first result.
CREATE TABLE hub.idempotency_keys (
  org_id     uuid NOT NULL REFERENCES hub.organisations(id),
  key        text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  operation  text NOT NULL,
  result_id  uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, key)
);

ALTER TABLE hub.citizens          ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.citizen_transfers ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.consents          ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.referrals         ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.referral_events   ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.idempotency_keys  ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Municipalities: the rows of the citizens they serve.
GRANT SELECT, INSERT, UPDATE ON hub.citizens, hub.consents, hub.referrals TO exithub_municipality;
GRANT SELECT, INSERT ON hub.citizen_transfers, hub.referral_events TO exithub_municipality;
CREATE POLICY municipality_citizens ON hub.citizens TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY municipality_transfers ON hub.citizen_transfers TO exithub_municipality
  USING (from_id = hub.org() OR to_id = hub.org());
CREATE POLICY municipality_consents ON hub.consents TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY municipality_referrals ON hub.referrals TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY municipality_referral_events ON hub.referral_events TO exithub_municipality
  USING (municipality_id = hub.org());

-- NGOs: only referrals addressed to them, and no citizen, consent or transfer.
GRANT SELECT, UPDATE ON hub.referrals TO exithub_ngo;
GRANT SELECT, INSERT ON hub.referral_events TO exithub_ngo;
CREATE POLICY ngo_referrals ON hub.referrals TO exithub_ngo
  USING (ngo_id = hub.org());
CREATE POLICY ngo_referral_events ON hub.referral_events TO exithub_ngo
  USING (ngo_id = hub.org());

GRANT SELECT, INSERT ON hub.idempotency_keys TO exithub_municipality, exithub_ngo,
  exithub_ministry, exithub_agency, exithub_operator;
CREATE POLICY own_idempotency_keys ON hub.idempotency_keys
  TO exithub_municipality, exithub_ngo, exithub_ministry, exithub_agency, exithub_operator
  USING (org_id = hub.org());

-- The transfer of a citizen between municipalities is hub.transfer_citizen,
-- defined in 003 once courses exist, since it moves them too.

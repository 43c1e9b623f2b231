-- Demo data for a fresh local database: exactly the data set of the project
-- docs' demo-data.md — organisations, PCN history, the cluster, the twelve
-- demo accounts with their memberships and the three pending registrations.
-- Everything is fictional; emails use the reserved .example domain.
-- Password of every demo account: Demo-Password-1
--
-- Ids are fixed so tests and documentation can rely on them:
--   organisations   0a000000-0000-4000-8000-<12-digit number>   (ZE1 = …000000000001, ZN1 = …000000000010,
--                   ZP1001 = …000000001001; see the table below)
--   people          0b000000-0000-4000-8000-0000000000NN
--   memberships     0c000000-0000-4000-8000-0000000000NN (NN = the person's)
--   cluster         0d000000-0000-4000-8000-000000000001 (CL-ZN1-001)
--   PCN memberships 0e000000-0000-4000-8000-0000000000NN
--
-- Statuses and roles normally change only through the action functions; the
-- seed announces itself the same way (app.action) to write them directly.

select set_config('app.action', 'seed', false);

-- ---------------------------------------------------------------- organisations

insert into public.organisations (id, ods_code, name, type, parent_id)
select ('0a000000-0000-4000-8000-' || lpad(org.n::text, 12, '0'))::uuid,
       org.ods_code, org.name, org.type::public.organisation_type,
       case when org.parent_n is null then null else ('0a000000-0000-4000-8000-' || lpad(org.parent_n::text, 12, '0'))::uuid end
from (values
  (1,    'ZE1',    'NHS England (demo)',       'national', null),
  (2,    'ZR1',    'Demo Region',              'region',   1),
  (10,   'ZN1',    'NHS Northshire ICB',       'icb',      2),
  (11,   'ZN1E',   'Northshire East',          'sub_icb',  10),
  (12,   'ZN1W',   'Northshire West',          'sub_icb',  10),
  (20,   'ZS1',    'NHS Southvale ICB',        'icb',      2),
  (21,   'ZS1C',   'Southvale Central',        'sub_icb',  20),
  (101,  'ZU101',  'Riverside PCN',            'pcn',      11),
  (102,  'ZU102',  'Hillside PCN',             'pcn',      11),
  (103,  'ZU103',  'Westfield PCN',            'pcn',      12),
  (201,  'ZU201',  'Harbour PCN',              'pcn',      21),
  (1001, 'ZP1001', 'Riverside Medical Centre', 'practice', 11),
  (1002, 'ZP1002', 'Bridge Street Surgery',    'practice', 11),
  (1003, 'ZP1003', 'Mill Lane Practice',       'practice', 11),
  (1004, 'ZP1004', 'Hill Top Surgery',         'practice', 11),
  (1005, 'ZP1005', 'Westfield Health Centre',  'practice', 12),
  (2001, 'ZP2001', 'Harbour Medical Practice', 'practice', 21),
  (2002, 'ZP2002', 'Quayside Surgery',         'practice', 21)
) as org (n, ods_code, name, type, parent_n)
order by org.n;

-- Northshire: multi-service claims (the default); Southvale: single-service.
update public.commissioner_settings set claim_submission = 'single_service'
where organisation_id = '0a000000-0000-4000-8000-000000000020';
-- Riverside Medical Centre is a two-step ("multi-level") practice.
update public.practice_settings set approval_mode = 'two_step'
where organisation_id = '0a000000-0000-4000-8000-000000001001';

-- ---------------------------------------------------------------- PCN history

insert into public.pcn_memberships (id, practice_id, pcn_id, valid_from, valid_to)
select ('0e000000-0000-4000-8000-' || lpad(pm.n::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(pm.practice_n::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(pm.pcn_n::text, 12, '0'))::uuid,
       pm.valid_from::date, pm.valid_to::date
from (values
  (1, 1001, 101, '2020-07-01', null),
  (2, 1002, 101, '2020-07-01', null),
  (3, 1003, 102, '2020-07-01', '2024-03-31'),
  (4, 1003, 101, '2024-04-01', null),
  (5, 1004, 102, '2020-07-01', null),
  (6, 1005, 103, '2020-07-01', null),
  (7, 2001, 201, '2020-07-01', null),
  (8, 2002, 201, '2020-07-01', null)
) as pm (n, practice_n, pcn_n, valid_from, valid_to);

-- ---------------------------------------------------------------- accounts
-- auth.users and auth.identities rows shaped as GoTrue writes them for a
-- confirmed email sign-up. The auth.users trigger creates each profile.

create temporary table seed_people (n integer primary key, email text not null, full_name text not null, meta jsonb not null);
insert into seed_people (n, email, full_name, meta) values
  (1,  'support.desk@cqrs-demo.example',       'Sam Support',        '{}'),
  (2,  'icb.admin@northshire.example',         'Alex Admin',         '{}'),
  (3,  'commissioner@northshire.example',      'Chris Commissioner', '{}'),
  (4,  'tier1@northshire.example',             'Taylor Tier-One',    '{}'),
  (5,  'tier2@northshire.example',             'Jordan Tier-Two',    '{}'),
  (6,  'finance@northshire.example',           'Morgan Finance',     '{}'),
  (7,  'cluster.reviewer@northshire.example',  'Casey Cluster',      '{}'),
  (8,  'icb.admin@southvale.example',          'Robin Southvale',    '{}'),
  (9,  'practice.user@riverside.example',      'Pat Practice',       '{}'),
  (10, 'practice.approver@riverside.example',  'Ash Approver',       '{}'),
  (11, 'practice.user@harbour.example',        'Harper Harbour',     '{}'),
  (12, 'pcn.lead@riverside-pcn.example',       'Lee Lead',           '{}'),
  -- pending registrations: what the public registration page sends
  (21, 'new.manager@bridgestreet.example',     'Nina Newman',        '{"ods_code": "ZP1002", "roles": ["claim_submitter"]}'),
  (22, 'reception@milllane.example',           'Reception Team',     '{"ods_code": "ZP1003", "roles": ["claim_submitter"]}'),
  (23, 'new.admin@southvale.example',          'Dana Newadmin',      '{"ods_code": "ZS1", "roles": ["user_administrator"]}');

-- The active accounts first: the pending registrations below notify them.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, last_sign_in_at,
  confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
  reauthentication_token, phone_change, phone_change_token,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
select '00000000-0000-0000-0000-000000000000',
       ('0b000000-0000-4000-8000-' || lpad(p.n::text, 12, '0'))::uuid,
       'authenticated', 'authenticated', p.email,
       extensions.crypt('Demo-Password-1', extensions.gen_salt('bf')),
       now(), null,
       '', '', '', '', '', '', '', '',
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       jsonb_build_object('full_name', p.full_name, 'email_verified', true) || p.meta,
       now(), now(), false, false
from seed_people p
where p.n < 20
order by p.n;

update public.profiles set status = 'active', status_changed_at = now()
where id in (select ('0b000000-0000-4000-8000-' || lpad(p.n::text, 12, '0'))::uuid from seed_people p where p.n < 20);

insert into public.platform_roles (profile_id, role)
values ('0b000000-0000-4000-8000-000000000001', 'support_desk');

insert into public.memberships (id, profile_id, organisation_id, roles, status, decided_at)
select ('0c000000-0000-4000-8000-' || lpad(m.person_n::text, 12, '0'))::uuid,
       ('0b000000-0000-4000-8000-' || lpad(m.person_n::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(m.org_n::text, 12, '0'))::uuid,
       m.roles::public.app_role[], 'active', now()
from (values
  (2,  10,   '{organisation_administrator,user_administrator}'),
  (3,  10,   '{commissioning_management}'),
  (4,  10,   '{approver_tier_1}'),
  (5,  10,   '{approver_tier_2,approval_management}'),
  (6,  10,   '{finance,finance_management}'),
  (7,  10,   '{approver_tier_1}'),
  (8,  20,   '{organisation_administrator,user_administrator,commissioning_management,approver_tier_1}'),
  (9,  1001, '{claim_submitter,achievement_entry,service_management}'),
  (10, 1001, '{provider_approver,declaration_management}'),
  (11, 2001, '{claim_submitter,service_management}'),
  (12, 101,  '{declaration_management}')
) as m (person_n, org_n, roles);

-- ---------------------------------------------------------------- the cluster

insert into public.clusters (id, commissioner_id, short_name, name, description)
values ('0d000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000010', 'CL-ZN1-001',
        'Riverside practices', 'Riverside Medical Centre and Bridge Street Surgery, reviewed together.');
insert into public.cluster_organisations (cluster_id, organisation_id)
values ('0d000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001001'),
       ('0d000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001002');
-- Casey Cluster reviews only the cluster's practices.
insert into public.cluster_assignments (membership_id, cluster_id)
values ('0c000000-0000-4000-8000-000000000007', '0d000000-0000-4000-8000-000000000001');

-- ---------------------------------------------------------------- pending registrations
-- Inserted like a sign-up from the registration page: the auth.users trigger
-- creates the pending profile, the requested membership, the audit entry and
-- the "registration waiting" notifications to the people who decide.

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, last_sign_in_at,
  confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
  reauthentication_token, phone_change, phone_change_token,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
select '00000000-0000-0000-0000-000000000000',
       ('0b000000-0000-4000-8000-' || lpad(p.n::text, 12, '0'))::uuid,
       'authenticated', 'authenticated', p.email,
       extensions.crypt('Demo-Password-1', extensions.gen_salt('bf')),
       now(), null,
       '', '', '', '', '', '', '', '',
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       jsonb_build_object('full_name', p.full_name, 'email_verified', true) || p.meta,
       now(), now(), false, false
from seed_people p
where p.n > 20
order by p.n;

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id,
       jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
       'email', null, now(), now()
from auth.users u
where u.id in (select ('0b000000-0000-4000-8000-' || lpad(p.n::text, 12, '0'))::uuid from seed_people p);

drop table seed_people;
select set_config('app.action', '', false);

-- ---------------------------------------------------------------- quality services (issue 6)
-- Ids: services 1a000000-…-0000000000NN, components 1b…, questions 1c…,
-- claim windows 1d… (service NN, quarter Q: NNQ), indicator groups 1e…,
-- indicators 1f…, achievement dates 2a…, offers 2b….
-- Offer statuses are written directly, announced with app.action as above
-- (ZP1002–ZP1005 have no Service Management account to act through).

select set_config('app.action', 'seed', false);

insert into public.quality_services (id, commissioner_id, kind, financial_year, payment_type, name, description, starts_on, ends_on,
  claim_mode, participation_only, no_declaration_required, no_approval_required)
values
  ('1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000010', 'local', '2025/26', 'Local Enhanced Service',
   'Complex Care Plans 2025/26',
   'Personalised care plans for patients with complex needs, reviewed with the patient and their carers.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-000000000010', 'local', '2025/26', 'Local Enhanced Service',
   'Depot Antipsychotic Injections 2025/26',
   'Administration of depot antipsychotic injections in general practice.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000003', '0a000000-0000-4000-8000-000000000010', 'national', '2025/26', 'Directed Enhanced Service',
   'Network Contract DES 2025/26',
   'Network Contract Directed Enhanced Service: capacity and access, and the Investment and Impact Fund.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000004', '0a000000-0000-4000-8000-000000000020', 'local', '2025/26', 'Local Incentive Scheme',
   'Minor Surgery 2025/26',
   'Minor surgical procedures (joint injections, excisions) carried out in the practice.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000005', '0a000000-0000-4000-8000-000000000020', 'local', '2025/26', 'Local Incentive Scheme',
   'Phlebotomy 2025/26',
   'Blood samples taken in the practice for hospital-requested tests.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000006', '0a000000-0000-4000-8000-000000000020', 'local', '2025/26', 'Local Incentive Scheme',
   'Anticoagulation Monitoring 2025/26',
   'INR monitoring and dosing of patients on warfarin, in the practice or at home.',
   '2025-04-01', '2026-03-31', null, false, false, false),
  ('1a000000-0000-4000-8000-000000000007', '0a000000-0000-4000-8000-000000000010', 'local', '2025/26', 'Local Enhanced Service',
   'Learning Disability Health Checks 2025/26',
   'Annual health checks and health action plans for patients with a learning disability.',
   '2025-04-01', '2026-03-31', null, false, false, false);

insert into public.service_components (id, service_id, position, name, kind, unit_price, fixed_amount, information,
  evidence_required, evidence_text, accepted_file_types)
values
  ('1b000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000001', 1, 'Complex care plan created', 'unit',
   193.42, null, null, false, null, '{}'),
  ('1b000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000001', 2, 'Care co-ordination retainer', 'retainer',
   null, 1500.00, 'Paid each quarter for keeping a named care co-ordinator; nothing to enter.', false, null, '{}'),
  ('1b000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000001', 3, 'Ear irrigation', 'unit',
   28.50, null, null, true,
   'Upload the anonymised procedure log for the period (no patient-identifiable data).', '{pdf,doc,docx,xls,xlsx,odt,ods}'),
  ('1b000000-0000-4000-8000-000000000004', '1a000000-0000-4000-8000-000000000002', 1, 'Depot injection administered', 'unit',
   12.50, null, null, false, null, '{}'),
  ('1b000000-0000-4000-8000-000000000005', '1a000000-0000-4000-8000-000000000004', 1, 'Minor surgery procedure', 'unit',
   95.00, null, null, false, null, '{}'),
  ('1b000000-0000-4000-8000-000000000006', '1a000000-0000-4000-8000-000000000005', 1, 'Blood sample taken', 'unit',
   3.80, null, null, false, null, '{}'),
  ('1b000000-0000-4000-8000-000000000007', '1a000000-0000-4000-8000-000000000006', 1, 'INR monitoring visit', 'unit',
   45.00, null, null, true,
   'Upload the anonymised monitoring log for the period: number of visits per week, no patient details.', '{pdf,xlsx,ods}'),
  ('1b000000-0000-4000-8000-000000000008', '1a000000-0000-4000-8000-000000000007', 1, 'Annual health check completed', 'unit',
   140.00, null, null, false, null, '{}');

insert into public.service_questions (id, service_id, position, kind, question, required)
values
  ('1c000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000002', 1, 'yes_no_must_be_yes',
   'Depot injections administered by qualified staff', true),
  ('1c000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000002', 2, 'free_text',
   'Name of the supervising clinician', false);

-- Quarterly claim windows for 2025/26. Q3's window is open today whenever the
-- data set is loaded (so New Claim can be tried); Q1 and Q2 closed, Q4 later.
insert into public.claim_windows (id, service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
select ('1d000000-0000-4000-8000-' || lpad((s.n * 10 + q.n)::text, 12, '0'))::uuid,
       ('1a000000-0000-4000-8000-' || lpad(s.n::text, 12, '0'))::uuid,
       'Q' || q.n || ' 2025/26', q.period_start::date, q.period_end::date,
       current_date + q.opens_in, current_date + q.closes_in
from (values (1), (2), (4), (5), (6), (7)) as s (n)
cross join (values
  (1, '2025-04-01', '2025-06-30', -150, -121),
  (2, '2025-07-01', '2025-09-30', -90, -61),
  (3, '2025-10-01', '2025-12-31', -30, 30),
  (4, '2026-01-01', '2026-03-31', 61, 90)
) as q (n, period_start, period_end, opens_in, closes_in);

insert into public.indicator_groups (id, service_id, position, code, name)
values
  ('1e000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000003', 1, 'CAIP', 'Capacity and Access Improvement Payment'),
  ('1e000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003', 2, 'IIF', 'Investment and Impact Fund');

insert into public.indicators (id, group_id, service_id, position, code, description, points, payment_basis, payment_rate,
  lower_threshold, upper_threshold)
values
  ('1f000000-0000-4000-8000-000000000001', '1e000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000003', 1,
   'CAIP01', 'Patient experience of contact with the practice improved', 60, 'per_point', 198.00, null, null),
  ('1f000000-0000-4000-8000-000000000002', '1e000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000003', 2,
   'CAIP02', 'Modern general practice access in place', 40, 'per_point', 198.00, null, null),
  ('1f000000-0000-4000-8000-000000000003', '1e000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003', 1,
   'ACC-08', 'Appointments booked within two weeks (%)', 71, 'per_point', 198.00, 85.00, 90.00),
  ('1f000000-0000-4000-8000-000000000004', '1e000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003', 2,
   'VI-01', 'Flu vaccinations given to patients aged 65 and over', 0, 'per_unit', 10.06, 70.00, 86.00);

insert into public.achievement_dates (id, service_id, achievement_date, is_payment_date)
values
  ('2a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000003', '2025-06-30', false),
  ('2a000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003', '2025-09-30', true),
  ('2a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000003', '2025-12-31', false),
  ('2a000000-0000-4000-8000-000000000004', '1a000000-0000-4000-8000-000000000003', '2026-03-31', true);

-- Complex Care Plans offered to ZP1001–ZP1005 by Chris Commissioner: accepted
-- by ZP1001 and ZP1002, rejected by ZP1003, still offered to ZP1004,
-- withdrawn from ZP1005. Depot Antipsychotic Injections accepted by
-- ZP1001–ZP1004 (claims for it). Learning Disability Health Checks is not
-- offered yet (try the offer wizard with it). Southvale's Minor Surgery
-- offered to ZP2001; its Phlebotomy and Anticoagulation Monitoring accepted by
-- ZP2001 (single-service claims).
insert into public.service_offers (id, service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, withdrawn,
  decision_reason, offered_at, offered_by, decided_at, decided_by, cancelled_at, cancelled_by)
values
  ('2b000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001001',
   '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'approved', false, null,
   '2025-04-07 09:00+01', '0b000000-0000-4000-8000-000000000003', '2025-04-14 10:30+01', '0b000000-0000-4000-8000-000000000009', null, null),
  ('2b000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001002',
   '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'approved', false, null,
   '2025-04-07 09:00+01', '0b000000-0000-4000-8000-000000000003', '2025-04-16 14:05+01', null, null, null),
  ('2b000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001003',
   '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'rejected', false,
   'No clinician with the capacity to run care planning clinics this year.',
   '2025-04-07 09:00+01', '0b000000-0000-4000-8000-000000000003', '2025-04-22 11:15+01', null, null, null),
  ('2b000000-0000-4000-8000-000000000004', '1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001004',
   '2025-04-01', '2026-03-31', '2026-03-31', '2026-03-31', 'offered', false, null,
   '2025-04-07 09:00+01', '0b000000-0000-4000-8000-000000000003', null, null, null, null),
  ('2b000000-0000-4000-8000-000000000005', '1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000001005',
   '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'cancelled', true, null,
   '2025-04-07 09:00+01', '0b000000-0000-4000-8000-000000000003', null, null, '2025-04-09 16:40+01', '0b000000-0000-4000-8000-000000000003'),
  ('2b000000-0000-4000-8000-000000000006', '1a000000-0000-4000-8000-000000000004', '0a000000-0000-4000-8000-000000002001',
   '2025-04-01', '2026-03-31', '2026-03-31', '2026-03-31', 'offered', false, null,
   '2025-04-08 09:30+01', '0b000000-0000-4000-8000-000000000008', null, null, null, null);

insert into public.service_offers (id, service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, withdrawn,
  decision_reason, offered_at, offered_by, decided_at, decided_by, cancelled_at, cancelled_by)
select ('2b000000-0000-4000-8000-' || lpad(o.n::text, 12, '0'))::uuid,
       ('1a000000-0000-4000-8000-' || lpad(o.service_n::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(o.provider_n::text, 12, '0'))::uuid,
       '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'approved', false, null,
       o.offered_at::timestamptz, ('0b000000-0000-4000-8000-' || lpad(o.offered_by_n::text, 12, '0'))::uuid,
       o.decided_at::timestamptz, case when o.provider_n in (1001, 2001) then ('0b000000-0000-4000-8000-' || lpad(o.decided_by_n::text, 12, '0'))::uuid end,
       null, null
from (values
  (7,  2, 1001, '2025-04-07 09:05+01', 3, '2025-04-14 10:35+01', 9),
  (8,  2, 1002, '2025-04-07 09:05+01', 3, '2025-04-16 14:10+01', 9),
  (9,  2, 1003, '2025-04-07 09:05+01', 3, '2025-04-18 09:20+01', 9),
  (10, 2, 1004, '2025-04-07 09:05+01', 3, '2025-04-23 15:45+01', 9),
  (11, 5, 2001, '2025-04-08 09:35+01', 8, '2025-04-15 11:00+01', 11),
  (12, 6, 2001, '2025-04-08 09:35+01', 8, '2025-04-15 11:02+01', 11)
) as o (n, service_n, provider_n, offered_at, offered_by_n, decided_at, decided_by_n);

-- Bridge Street Surgery's own tariff for care plans.
insert into public.offer_tariffs (offer_id, component_id, unit_price)
values ('2b000000-0000-4000-8000-000000000002', '1b000000-0000-4000-8000-000000000001', 200.00);

-- Northshire East may report on Complex Care Plans.
insert into public.allocated_reports (organisation_id, service_id, allocated_at, allocated_by)
values ('0a000000-0000-4000-8000-000000000011', '1a000000-0000-4000-8000-000000000001', '2025-04-10 12:00+01',
        '0b000000-0000-4000-8000-000000000002');

select set_config('app.action', '', false);

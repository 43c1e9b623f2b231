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

-- ---------------------------------------------------------------- claims (issue 12)
-- Ids: claims 3a000000-…-0000000000NN (claim NN), claim lines 3b… (NN×10 +
-- line), evidence 3c…. The Claim ID (claim_number) is allocated by the
-- identity in claim order: claim 01 is 36001, … 12 is 36012.
--
-- Every state a reviewer meets, for the Q1 and Q2 2025/26 windows only (Q3 is
-- open today and stays unclaimed, so Pat and Harper can press New Claim):
--   01 ZP1001 paid                      Complex Care + Depot, Q1 (ear irrigation log .pdf)
--   02 ZP1001 pending_provider_approval Complex Care, Q2, submitted by Pat (log .docx, not reviewed yet)
--   03 ZP1001 draft                     Depot, Q2, units not entered
--   04 ZP1002 pending_tier1_review      Complex Care + Depot, Q2 (Bridge Street's £200.00 care plan tariff)
--   05 ZP1002 pending_finance_approval  Complex Care, Q1: 300 care plans × £200.00, high band (log .xlsx)
--   06 ZP1002 approved_for_payment      Depot, Q1
--   07 ZP1003 pending_tier2_review      Depot, Q2
--   08 ZP1003 sent                      Depot, Q1
--   09 ZP1004 declined by Taylor        Depot, Q1
--   10 ZP1004 pending_tier1_review      Depot, Q2 (outside Casey Cluster's cluster)
--   11 ZP2001 pending_tier1_review      Phlebotomy, Q2 (Southvale: one service per claim)
--   12 ZP2001 draft                     Anticoagulation Monitoring, Q2
-- Issue 13's Tier 2 queue, in today's Q3 window (ZP1001's, ZP1002's and
-- ZP2001's Q3 stay unclaimed: New Claim for Pat and Harper, the bulk claims
-- tests for Bridge Street). Tier 1 has 04 (in Casey's cluster) and 10 (not).
--   13 ZP1003 pending_tier2_review      Depot, Q3: 4,200 injections, high band (→ Finance after Tier 2); Tier 1 by Taylor, with a note
--   14 ZP1004 pending_tier2_review      Depot, Q3: 1,400 injections, medium band (→ approved for payment after Tier 2); Tier 1 by Taylor
-- ZP1002–ZP1004 have no portal accounts: their claims' practice steps name no
-- person (the timeline shows the practice). Each claim's status history is in
-- the audit trail as the actions write it; the waiting claims' tasks are queued.
-- Written directly, announced with app.action like the rest of the seed.

select set_config('app.action', 'seed', false);

create temporary table seed_claim_steps (
  claim_n integer not null, action text not null, from_status text, to_status text not null,
  days_ago integer not null, at time not null, actor_n integer, reason text,
  occurred_at timestamptz);
insert into seed_claim_steps (claim_n, action, from_status, to_status, days_ago, at, actor_n, reason) values
  (1,  'claim.start',            null,                        'draft',                     148, '09:12', 9,    null),
  (1,  'claim.submit',           'draft',                     'pending_provider_approval', 140, '16:40', 9,    null),
  (1,  'claim.provider_approve', 'pending_provider_approval', 'pending_system_review',     139, '10:05', 10,   null),
  (1,  'claim.system_review',    'pending_system_review',     'pending_tier1_review',      139, '10:06', null, null),
  (1,  'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      130, '11:20', 7,    null),
  (1,  'claim.tier_two_approve', 'pending_tier2_review',      'approved_for_payment',      126, '15:00', 5,    null),
  (1,  'claim.send',             'approved_for_payment',      'sent',                      118, '09:00', 6,    null),
  (1,  'claim.mark_paid',        'sent',                      'paid',                      117, '09:30', 6,    null),
  (2,  'claim.start',            null,                        'draft',                     84,  '10:00', 9,    null),
  (2,  'claim.submit',           'draft',                     'pending_provider_approval', 66,  '15:30', 9,    null),
  (3,  'claim.start',            null,                        'draft',                     70,  '11:45', 9,    null),
  (4,  'claim.start',            null,                        'draft',                     80,  '09:00', null, null),
  (4,  'claim.submit',           'draft',                     'pending_tier1_review',      63,  '14:20', null, null),
  (5,  'claim.start',            null,                        'draft',                     145, '09:30', null, null),
  (5,  'claim.submit',           'draft',                     'pending_system_review',     128, '12:00', null, null),
  (5,  'claim.system_review',    'pending_system_review',     'pending_tier1_review',      128, '12:01', null, null),
  (5,  'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      110, '10:15', 7,    null),
  (5,  'claim.tier_two_approve', 'pending_tier2_review',      'pending_finance_approval',  95,  '16:45', 5,    null),
  (6,  'claim.start',            null,                        'draft',                     135, '10:00', null, null),
  (6,  'claim.submit',           'draft',                     'pending_tier1_review',      135, '10:20', null, null),
  (6,  'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      120, '09:40', 4,    null),
  (6,  'claim.tier_two_approve', 'pending_tier2_review',      'approved_for_payment',      100, '14:00', 5,    null),
  (7,  'claim.start',            null,                        'draft',                     75,  '08:50', null, null),
  (7,  'claim.submit',           'draft',                     'pending_tier1_review',      75,  '09:05', null, null),
  (7,  'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      50,  '11:00', 4,    null),
  (8,  'claim.start',            null,                        'draft',                     138, '13:10', null, null),
  (8,  'claim.submit',           'draft',                     'pending_tier1_review',      138, '13:25', null, null),
  (8,  'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      20,  '10:30', 4,    null),
  (8,  'claim.tier_two_approve', 'pending_tier2_review',      'approved_for_payment',      5,   '15:10', 5,    null),
  (8,  'claim.send',             'approved_for_payment',      'sent',                      1,   '18:00', 6,    null),
  (9,  'claim.start',            null,                        'draft',                     142, '11:00', null, null),
  (9,  'claim.submit',           'draft',                     'pending_tier1_review',      142, '11:30', null, null),
  (9,  'claim.decline',          'pending_tier1_review',      'declined',                  127, '14:30', 4,
   '140 injections is more than Hill Top Surgery''s depot register supports (31 patients): check the figure and resubmit.'),
  (10, 'claim.start',            null,                        'draft',                     72,  '10:10', null, null),
  (10, 'claim.submit',           'draft',                     'pending_tier1_review',      72,  '10:40', null, null),
  (11, 'claim.start',            null,                        'draft',                     76,  '14:00', 11,   null),
  (11, 'claim.submit',           'draft',                     'pending_tier1_review',      68,  '11:15', 11,   null),
  (12, 'claim.start',            null,                        'draft',                     65,  '09:40', 11,   null),
  (13, 'claim.start',            null,                        'draft',                     12,  '09:15', null, null),
  (13, 'claim.submit',           'draft',                     'pending_tier1_review',      10,  '16:05', null, null),
  (13, 'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      6,   '11:30', 4,
   'Depot register checked: a catch-up clinic this quarter explains the 4,200 injections.'),
  (14, 'claim.start',            null,                        'draft',                     14,  '10:20', null, null),
  (14, 'claim.submit',           'draft',                     'pending_tier1_review',      13,  '12:45', null, null),
  (14, 'claim.tier_one_approve', 'pending_tier1_review',      'pending_tier2_review',      8,   '14:10', 4,    null);
-- Days before the day the data set is loaded (the claim windows are relative to it too), UK time.
update seed_claim_steps set occurred_at = ((current_date - days_ago) + at) at time zone 'Europe/London';

-- The services (and windows: service NN, quarter Q → 1d…NNQ) on each claim.
create temporary table seed_claim_services (claim_n integer not null, provider_n integer not null, service_n integer not null, quarter integer not null);
insert into seed_claim_services values
  (1, 1001, 1, 1), (1, 1001, 2, 1),
  (2, 1001, 1, 2),
  (3, 1001, 2, 2),
  (4, 1002, 1, 2), (4, 1002, 2, 2),
  (5, 1002, 1, 1),
  (6, 1002, 2, 1),
  (7, 1003, 2, 2),
  (8, 1003, 2, 1),
  (9, 1004, 2, 1),
  (10, 1004, 2, 2),
  (11, 2001, 5, 2),
  (12, 2001, 6, 2),
  (13, 1003, 2, 3),
  (14, 1004, 2, 3);

-- Lines: component 1b…N with its units (null: not entered yet; retainers have none).
create temporary table seed_claim_lines (claim_n integer not null, k integer not null, component_n integer not null, units integer);
insert into seed_claim_lines values
  (1, 1, 1, 10), (1, 2, 2, null), (1, 3, 3, 8), (1, 4, 4, 14),
  (2, 1, 1, 11), (2, 2, 2, null), (2, 3, 3, 6),
  (3, 1, 4, null),
  (4, 1, 1, 20), (4, 2, 2, null), (4, 3, 3, 0), (4, 4, 4, 9),
  (5, 1, 1, 300), (5, 2, 2, null), (5, 3, 3, 40),
  (6, 1, 4, 16),
  (7, 1, 4, 22),
  (8, 1, 4, 18),
  (9, 1, 4, 140),
  (10, 1, 4, 27),
  (11, 1, 6, 120),
  (12, 1, 7, null),
  (13, 1, 4, 4200),
  (14, 1, 4, 1400);

-- Each claim as its steps made it: created by the first, submitted by the
-- first submit, and so on; its status is the last step's.
create temporary view seed_claim_facts as
select c.claim_n,
       ('3a000000-0000-4000-8000-' || lpad(c.claim_n::text, 12, '0'))::uuid as id,
       ('0a000000-0000-4000-8000-' || lpad(c.provider_n::text, 12, '0'))::uuid as provider_id,
       (select s.actor_n from seed_claim_steps s where s.claim_n = c.claim_n and s.action = 'claim.submit') as submitted_by_n,
       (select s.occurred_at from seed_claim_steps s where s.claim_n = c.claim_n and s.action = 'claim.submit') as submitted_at
from (select distinct claim_n, provider_n from seed_claim_services) c;

insert into public.claims (id, provider_id, commissioner_id, submission_mode, status, total, created_at, created_by, updated_at,
  submitted_at, submitted_by, provider_approved_at, provider_approved_by, decline_reason, declined_at, declined_by)
select f.id, f.provider_id, s.commissioner_id, coalesce(cs.claim_submission, 'multi_service'),
       last.to_status::public.claim_status, 0,
       first.occurred_at, ('0b000000-0000-4000-8000-' || lpad(first.actor_n::text, 12, '0'))::uuid,
       last.occurred_at,
       f.submitted_at, ('0b000000-0000-4000-8000-' || lpad(f.submitted_by_n::text, 12, '0'))::uuid,
       approval.occurred_at, ('0b000000-0000-4000-8000-' || lpad(approval.actor_n::text, 12, '0'))::uuid,
       decline.reason, decline.occurred_at, ('0b000000-0000-4000-8000-' || lpad(decline.actor_n::text, 12, '0'))::uuid
from seed_claim_facts f
join lateral (select distinct q.commissioner_id from seed_claim_services x
              join public.quality_services q on q.id = ('1a000000-0000-4000-8000-' || lpad(x.service_n::text, 12, '0'))::uuid
              where x.claim_n = f.claim_n) s on true
left join public.commissioner_settings cs on cs.organisation_id = s.commissioner_id
join lateral (select * from seed_claim_steps x where x.claim_n = f.claim_n order by x.occurred_at limit 1) first on true
join lateral (select * from seed_claim_steps x where x.claim_n = f.claim_n order by x.occurred_at desc limit 1) last on true
left join seed_claim_steps approval on approval.claim_n = f.claim_n and approval.action = 'claim.provider_approve'
left join seed_claim_steps decline on decline.claim_n = f.claim_n and decline.action = 'claim.decline'
order by f.claim_n;

insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
select ('3a000000-0000-4000-8000-' || lpad(x.claim_n::text, 12, '0'))::uuid, w.service_id, o.id, w.id, w.period_label
from seed_claim_services x
join public.claim_windows w on w.id = ('1d000000-0000-4000-8000-' || lpad((x.service_n * 10 + x.quarter)::text, 12, '0'))::uuid
join public.service_offers o on o.service_id = w.service_id and o.status = 'approved'
  and o.provider_id = ('0a000000-0000-4000-8000-' || lpad(x.provider_n::text, 12, '0'))::uuid;

-- Unit prices as add_claim_lines snapshots them (the offer's tariff, else the
-- component's); retainers acknowledged by the submitter when submitted.
insert into public.claim_lines (id, claim_id, service_id, component_id, kind, position, units, unit_price, fixed_amount,
  acknowledged_at, acknowledged_by)
select ('3b000000-0000-4000-8000-' || lpad((l.claim_n * 10 + l.k)::text, 12, '0'))::uuid, f.id, c.service_id, c.id, c.kind, c.position,
       l.units,
       case when c.kind = 'unit' then public.offer_unit_price(cs.offer_id, c.id) end,
       case when c.kind = 'retainer' then c.fixed_amount end,
       case when c.kind = 'retainer' and f.submitted_at is not null then f.submitted_at - interval '5 minutes' end,
       case when c.kind = 'retainer' and f.submitted_at is not null then ('0b000000-0000-4000-8000-' || lpad(f.submitted_by_n::text, 12, '0'))::uuid end
from seed_claim_lines l
join seed_claim_facts f on f.claim_n = l.claim_n
join public.service_components c on c.id = ('1b000000-0000-4000-8000-' || lpad(l.component_n::text, 12, '0'))::uuid
join public.claim_services cs on cs.claim_id = f.id and cs.service_id = c.service_id
order by l.claim_n, l.k;

-- Depot's questions: confirmed (Yes) and the supervising clinician named on
-- submitted claims; unanswered on the draft.
insert into public.claim_answers (claim_id, service_id, question_id, answer_yes, answer_text, updated_at, updated_by)
select f.id, q.service_id, q.id,
       case when q.kind = 'yes_no_must_be_yes' and f.submitted_at is not null then true end,
       case when q.kind = 'free_text' and f.submitted_at is not null then 'Dr Priya Nair' end,
       f.submitted_at - interval '10 minutes',
       ('0b000000-0000-4000-8000-' || lpad(f.submitted_by_n::text, 12, '0'))::uuid
from seed_claim_facts f
join public.claim_services cs on cs.claim_id = f.id
join public.service_questions q on q.service_id = cs.service_id;

-- Ear irrigation logs (the files themselves are put in the evidence bucket by
-- the stack's seed step). Reviewed clean on claims past the system review;
-- claim 02's waits for the review that follows Ash's approval.
insert into public.claim_evidence (id, claim_id, line_id, object_path, original_name, size_bytes, declared_type, sniffed_type,
  scan_status, uploaded_at, uploaded_by, scanned_at)
select ('3c000000-0000-4000-8000-' || lpad(e.n::text, 12, '0'))::uuid, f.id, l.id,
       format('%s/%s/%s/%s', f.provider_id, f.id, l.id, e.name), e.name, e.size_bytes, e.mime,
       case when e.reviewed then e.mime end,
       case when e.reviewed then 'clean' else 'pending' end::public.evidence_scan_status,
       f.submitted_at - interval '20 minutes',
       ('0b000000-0000-4000-8000-' || lpad(f.submitted_by_n::text, 12, '0'))::uuid,
       case when e.reviewed then review.occurred_at end
from (values
  (1, 1, 3, 'ear-irrigation-log-q1.pdf', 18432, 'application/pdf', true),
  (2, 2, 3, 'ear-irrigation-log-q2.docx', 12288, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', false),
  (3, 5, 3, 'ear-irrigation-log-q1.xlsx', 9216, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', true)
) as e (n, claim_n, k, name, size_bytes, mime, reviewed)
join seed_claim_facts f on f.claim_n = e.claim_n
join public.claim_lines l on l.id = ('3b000000-0000-4000-8000-' || lpad((e.claim_n * 10 + e.k)::text, 12, '0'))::uuid
left join seed_claim_steps review on review.claim_n = e.claim_n and review.action = 'claim.system_review'
order by e.n;

-- Totals from the lines' (generated) amounts, and what was submitted. The
-- write guard stamps updated_at with now() on every update: it is set aside
-- for this one statement so each claim keeps the time of its last step.
alter table public.claims disable trigger claims_write_guard;
update public.claims c
set total = coalesce((select sum(l.amount) from public.claim_lines l where l.claim_id = c.id), 0),
    submitted_fingerprint = case when c.submitted_at is not null then private.claim_fingerprint(c.id) end
where c.id in (select id from seed_claim_facts);
-- Issue 13's review columns: the band (as the claim entered Tier 1 review)
-- and who approved each step; a declined claim keeps none (declining clears them).
update public.claims c
set risk_band = case when c.status not in ('draft', 'pending_provider_approval', 'pending_system_review')
                     then private.claim_risk_band(c.total, c.commissioner_id) end,
    tier1_approved_by = a1.actor, tier1_approved_at = a1.occurred_at,
    tier2_approved_by = a2.actor, tier2_approved_at = a2.occurred_at
from seed_claim_facts f
left join lateral (
  select ('0b000000-0000-4000-8000-' || lpad(s.actor_n::text, 12, '0'))::uuid as actor, s.occurred_at
  from seed_claim_steps s where s.claim_n = f.claim_n and s.action = 'claim.tier_one_approve' order by s.occurred_at desc limit 1) a1 on true
left join lateral (
  select ('0b000000-0000-4000-8000-' || lpad(s.actor_n::text, 12, '0'))::uuid as actor, s.occurred_at
  from seed_claim_steps s where s.claim_n = f.claim_n and s.action = 'claim.tier_two_approve' order by s.occurred_at desc limit 1) a2 on true
where c.id = f.id and c.status <> 'declined';
alter table public.claims enable trigger claims_write_guard;

-- The status history, as the actions write it to the audit trail.
insert into public.audit_log (occurred_at, actor_id, actor_role, action, entity_type, entity_id, organisation_id, before, after, reason)
select s.occurred_at,
       ('0b000000-0000-4000-8000-' || lpad(s.actor_n::text, 12, '0'))::uuid,
       case when s.actor_n is not null then 'authenticated' when s.action = 'claim.system_review' then 'service_role' else 'database' end,
       s.action, 'claim', f.id::text, f.provider_id,
       case when s.from_status is not null then jsonb_build_object('status', s.from_status, 'claim_number', c.claim_number) end,
       jsonb_build_object('status', s.to_status, 'claim_number', c.claim_number, 'total', c.total),
       s.reason
from seed_claim_steps s
join seed_claim_facts f on f.claim_n = s.claim_n
join public.claims c on c.id = f.id
order by s.occurred_at, s.claim_n;

-- Tasks for the claims that wait: Ash approves claim 02; the reviewers of
-- each claim's step reaching the practice review the rest (clusters
-- respected; as the actions do, never the submitter, nor at Tier 2 the
-- claim's Tier 1 approver). Queued weeks ago, so emailed then (the sender
-- does not send them again).
insert into public.notifications (recipient_id, kind, subject, body, link, created_at, emailed_at)
select '0b000000-0000-4000-8000-000000000010', 'claim_awaiting_provider_approval',
       format('Claim %s waits for your approval', c.claim_number),
       format('Pat Practice submitted claim %s for %s, total £%s. Approve it or return it with a reason.', c.claim_number,
         private.claim_services_label(c.id), to_char(c.total, 'FM999,999,999,990.00')),
       format('/claims/%s', c.id), c.submitted_at, c.submitted_at + interval '1 minute'
from public.claims c
where c.id in (select id from seed_claim_facts) and c.status = 'pending_provider_approval';

insert into public.notifications (recipient_id, kind, subject, body, link, created_at, emailed_at)
select person, 'claim_awaiting_review',
       format('Claim %s waits for %s', c.claim_number, step.name),
       format('%s''s claim %s for %s, total £%s (%s risk), waits for %s.', private.organisation_label(c.provider_id), c.claim_number,
         private.claim_services_label(c.id), to_char(c.total, 'FM999,999,999,990.00'), c.risk_band, step.name),
       format('/claims/%s', c.id), c.updated_at, c.updated_at + interval '1 minute'
from public.claims c
join (values
  ('pending_tier1_review'::public.claim_status, 'Tier 1 review', '{approver_tier_1}'::public.app_role[]),
  ('pending_tier2_review', 'Tier 2 review', '{approver_tier_2}'),
  ('pending_finance_approval', 'Finance approval', '{finance,finance_management}')
) as step (status, name, roles) on step.status = c.status
cross join lateral private.people_reaching(c.provider_id, step.roles) person
where c.id in (select id from seed_claim_facts)
  and person is distinct from c.submitted_by
  and (c.status <> 'pending_tier2_review' or person is distinct from c.tier1_approved_by)
order by c.claim_number, person;

drop view seed_claim_facts;
drop table seed_claim_steps, seed_claim_services, seed_claim_lines;
select set_config('app.action', '', false);

-- ---------------------------------------------------------------- payment runs (issue 13)
-- Run 9001 (3e…01): claim 36001, sent by Morgan Finance and acknowledged by
--   the payment system the next morning: the claim is paid.
-- Run 9002 (3e…02): claim 36008, sent by Morgan yesterday evening, delivered,
--   no answer yet. With the stack's delivery job on (npm start) the 18-hour
--   rule sends it again once the answer is overdue, and the payment-system
--   simulator (auto-acknowledge) pays it.
-- Times come from the claims' own steps in the audit trail.
select set_config('app.action', 'seed', false);

create temporary table seed_payment_runs as
select r.n, ('3e000000-0000-4000-8000-' || lpad(r.n::text, 12, '0'))::uuid as id, c.id as claim_id, c.claim_number, c.provider_id,
       c.commissioner_id, c.total, sent.occurred_at as sent_at, paid.occurred_at as paid_at, r.reference,
       coalesce((paid.occurred_at at time zone 'Europe/London')::date, current_date + 3) as payment_date
from (values (1, 1, 'BACS-2025-0418'), (2, 8, null)) as r (n, claim_n, reference)
join public.claims c on c.id = ('3a000000-0000-4000-8000-' || lpad(r.claim_n::text, 12, '0'))::uuid
join public.audit_log sent on sent.entity_type = 'claim' and sent.entity_id = c.id::text and sent.action = 'claim.send'
left join public.audit_log paid on paid.entity_type = 'claim' and paid.entity_id = c.id::text and paid.action = 'claim.mark_paid';

insert into public.payment_runs (id, commissioner_id, payment_date, status, claim_count, total, created_at, created_by, sent_at, sent_by,
  tries, answer_due_at, acknowledged_at, payment_reference, updated_at)
select r.id, r.commissioner_id, r.payment_date, case when r.paid_at is null then 'sent' else 'acknowledged' end::public.payment_run_status,
       1, r.total, r.sent_at - interval '10 minutes', '0b000000-0000-4000-8000-000000000006', r.sent_at, '0b000000-0000-4000-8000-000000000006',
       1, case when r.paid_at is null then r.sent_at + interval '18 hours' end, r.paid_at, r.reference, coalesce(r.paid_at, r.sent_at)
from seed_payment_runs r order by r.n;
insert into public.payment_run_claims (run_id, claim_id, provider_id, claim_number, amount)
select r.id, r.claim_id, r.provider_id, r.claim_number, r.total from seed_payment_runs r;
insert into public.payment_run_tries (run_id, try_number, queued_at, delivered_at, answer_due_at)
select r.id, 1, r.sent_at, r.sent_at + interval '1 minute', r.sent_at + interval '1 minute 18 hours' from seed_payment_runs r;

alter table public.claims disable trigger claims_write_guard;
update public.claims c set payment_run_id = r.id, payment_date = r.payment_date, sent_at = r.sent_at, paid_at = r.paid_at,
  payment_reference = r.reference
from seed_payment_runs r where c.id = r.claim_id;
alter table public.claims enable trigger claims_write_guard;

insert into public.audit_log (occurred_at, actor_id, actor_role, action, entity_type, entity_id, organisation_id, before, after, reason)
select x.at, x.actor, case when x.actor is null then 'service_role' else 'authenticated' end, x.action, 'payment_run', r.id::text,
       r.commissioner_id, null, jsonb_build_object('status', x.status, 'run_number', p.run_number, 'total', p.total), x.reason
from seed_payment_runs r
join public.payment_runs p on p.id = r.id
cross join lateral (values
  (r.sent_at - interval '10 minutes', '0b000000-0000-4000-8000-000000000006'::uuid, 'payment_run.create', 'draft', null::text),
  (r.sent_at, '0b000000-0000-4000-8000-000000000006'::uuid, 'payment_run.send', 'sent', null),
  (r.sent_at + interval '1 minute', null, 'payment_run.deliver', 'sent', 'Try 1 delivered to the payment system.'),
  (r.paid_at, null, 'payment_run.acknowledge', 'acknowledged', r.reference)
) as x (at, actor, action, status, reason)
where x.at is not null
order by x.at;

drop table seed_payment_runs;
select set_config('app.action', '', false);

-- ---------------------------------------------------------------- achievement (issue 14)
-- Network Contract DES 2025/26 achievement (docs/achievement.md, "Demo data"):
--   * Orchard Surgery ZP1006 (Northshire East): Hillside PCN ZU102 from
--     01/07/2020 to 31/08/2025 and no relationship recorded since — a GAP over
--     the 30/09/2025 payment date, so its achievement that day waits for a
--     network achievement that cannot come (the stuck-achievement demo; the
--     fix is Add PCN relationship from 01/09/2025, which add_pcn_membership
--     allows because nothing follows the gap);
--   * the DES is scaled to a reference list size of 10,000 and ACC-08 is a
--     network (PCN) indicator; offers approved for ZP1001–ZP1006 and the
--     PCNs ZU101–ZU103; list sizes for every Northshire practice;
--   * submitted achievement for ZP1001–ZP1006 on 30/06/2025 and 30/09/2025
--     (ZP1001's by Pat; the others from an extract), calculated by the
--     product's own code path (private.calculate_achievements);
--     ZP1002 has no IIF figures on 30/09/2025 (the missing-data demo:
--     IIF 0 of 2); ZP1001's 31/12/2025 and 31/03/2026 are left empty for Pat;
--   * the PCNs' network achievements on both dates submitted (ZU101 by Lee).
-- Declarations follow in their own section below (issue 14's declarations).

select set_config('app.action', 'seed', false);

insert into public.organisations (id, ods_code, name, type, parent_id)
values ('0a000000-0000-4000-8000-000000001006', 'ZP1006', 'Orchard Surgery', 'practice', '0a000000-0000-4000-8000-000000000011');

insert into public.pcn_memberships (id, practice_id, pcn_id, valid_from, valid_to)
values
  ('0e000000-0000-4000-8000-000000000009', '0a000000-0000-4000-8000-000000001006', '0a000000-0000-4000-8000-000000000102', '2020-07-01', '2025-08-31');

update public.quality_services set reference_list_size = 10000 where id = '1a000000-0000-4000-8000-000000000003';
update public.indicators set network = true where id = '1f000000-0000-4000-8000-000000000003';

insert into public.service_offers (id, service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, withdrawn,
  decision_reason, offered_at, offered_by, decided_at, decided_by, cancelled_at, cancelled_by)
select ('2b000000-0000-4000-8000-' || lpad(o.n::text, 12, '0'))::uuid,
       '1a000000-0000-4000-8000-000000000003',
       ('0a000000-0000-4000-8000-' || lpad(o.provider_n::text, 12, '0'))::uuid,
       '2025-04-01', '2026-03-31', '2025-04-30', '2026-03-31', 'approved', false, null,
       '2025-04-02 09:00+01', '0b000000-0000-4000-8000-000000000003',
       '2025-04-09 10:00+01'::timestamptz + (o.n - 21) * interval '1 hour',
       case o.provider_n when 1001 then '0b000000-0000-4000-8000-000000000009'::uuid when 101 then '0b000000-0000-4000-8000-000000000012'::uuid end,
       null, null
from (values (21, 1001), (22, 1002), (23, 1003), (24, 1004), (25, 1005), (26, 1006), (27, 101), (28, 102), (29, 103)) as o (n, provider_n);

insert into public.list_sizes (organisation_id, effective_from, list_size, loaded_at)
select ('0a000000-0000-4000-8000-' || lpad(l.practice_n::text, 12, '0'))::uuid, l.effective_from::date, l.list_size, '2025-04-03 06:00+01'
from (values
  (1001, '2025-04-01', 9800), (1001, '2025-10-01', 10150),
  (1002, '2025-04-01', 7400), (1003, '2025-04-01', 12600), (1004, '2025-04-01', 5200),
  (1005, '2025-04-01', 8900), (1006, '2025-04-01', 6100)
) as l (practice_n, effective_from, list_size);

-- Achievement ids: 4a000000-0000-4000-8000-<practice number><quarter>, e.g. ZP1001 on 30/06/2025 = …000000010011.
create temporary table seed_achievement_values (practice_n integer, quarter integer, code text, numerator integer, denominator integer, count integer);
insert into seed_achievement_values values
  (1001, 1, 'CAIP01', 92, 100, null), (1001, 1, 'CAIP02', 30, 40, null), (1001, 1, 'ACC-08', 86, 97, null), (1001, 1, 'VI-01', null, null, 412),
  (1002, 1, 'CAIP01', 80, 100, null), (1002, 1, 'CAIP02', 35, 40, null), (1002, 1, 'ACC-08', 90, 103, null), (1002, 1, 'VI-01', null, null, 288),
  (1003, 1, 'CAIP01', 75, 100, null), (1003, 1, 'CAIP02', 40, 40, null), (1003, 1, 'ACC-08', 95, 100, null), (1003, 1, 'VI-01', null, null, 530),
  (1004, 1, 'CAIP01', 60, 100, null), (1004, 1, 'CAIP02', 20, 40, null), (1004, 1, 'ACC-08', 170, 200, null), (1004, 1, 'VI-01', null, null, 190),
  (1005, 1, 'CAIP01', 88, 100, null), (1005, 1, 'CAIP02', 32, 40, null), (1005, 1, 'ACC-08', 140, 160, null), (1005, 1, 'VI-01', null, null, 350),
  (1006, 1, 'CAIP01', 70, 100, null), (1006, 1, 'CAIP02', 28, 40, null), (1006, 1, 'ACC-08', 88, 100, null), (1006, 1, 'VI-01', null, null, 240),
  (1001, 2, 'CAIP01', 95, 100, null), (1001, 2, 'CAIP02', 34, 40, null), (1001, 2, 'ACC-08', 89, 100, null), (1001, 2, 'VI-01', null, null, 655),
  (1002, 2, 'CAIP01', 84, 100, null), (1002, 2, 'CAIP02', 36, 40, null),
  (1003, 2, 'CAIP01', 78, 100, null), (1003, 2, 'CAIP02', 40, 40, null), (1003, 2, 'ACC-08', 91, 100, null), (1003, 2, 'VI-01', null, null, 702),
  (1004, 2, 'CAIP01', 65, 100, null), (1004, 2, 'CAIP02', 24, 40, null), (1004, 2, 'ACC-08', 175, 200, null), (1004, 2, 'VI-01', null, null, 260),
  (1005, 2, 'CAIP01', 90, 100, null), (1005, 2, 'CAIP02', 36, 40, null), (1005, 2, 'ACC-08', 150, 160, null), (1005, 2, 'VI-01', null, null, 480),
  (1006, 2, 'CAIP01', 72, 100, null), (1006, 2, 'CAIP02', 30, 40, null), (1006, 2, 'ACC-08', 90, 100, null), (1006, 2, 'VI-01', null, null, 310);

insert into public.achievements (id, provider_id, service_id, achievement_date, commissioner_id, source, status, version,
  submitted_at, submitted_by, created_at, created_by, updated_at, updated_by)
select ('4a000000-0000-4000-8000-' || lpad((a.practice_n * 10 + a.quarter)::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(a.practice_n::text, 12, '0'))::uuid,
       '1a000000-0000-4000-8000-000000000003',
       case a.quarter when 1 then date '2025-06-30' else date '2025-09-30' end,
       '0a000000-0000-4000-8000-000000000010',
       case when a.practice_n = 1001 then 'manual' else 'extract' end::public.achievement_source,
       'submitted', 1, s.at, case when a.practice_n = 1001 then '0b000000-0000-4000-8000-000000000009'::uuid end,
       s.at - interval '2 days', case when a.practice_n = 1001 then '0b000000-0000-4000-8000-000000000009'::uuid end,
       s.at, case when a.practice_n = 1001 then '0b000000-0000-4000-8000-000000000009'::uuid end
from (select distinct practice_n, quarter from seed_achievement_values) a
cross join lateral (select case a.quarter when 1 then timestamptz '2025-07-08 11:00+01' else timestamptz '2025-10-07 11:00+01' end
                           + (a.practice_n - 1001) * interval '25 minutes' as at) s
order by a.quarter, a.practice_n;

insert into public.achievement_values (achievement_id, indicator_id, numerator, denominator, count, submitted)
select ('4a000000-0000-4000-8000-' || lpad((v.practice_n * 10 + v.quarter)::text, 12, '0'))::uuid, i.id, v.numerator, v.denominator, v.count, true
from seed_achievement_values v
join public.indicators i on i.service_id = '1a000000-0000-4000-8000-000000000003' and i.code = v.code;

insert into public.achievement_submissions (achievement_id, version, source, submitted_at, submitted_by, notes, submitted_values)
select a.id, 1, a.source, a.submitted_at, a.submitted_by,
       case when a.source = 'extract' then 'Loaded from an extract.' else 'Figures from the practice system at quarter end.' end,
       private.achievement_snapshot(a.id)
from public.achievements a where a.id::text like '4a000000-%';

-- The PCNs' network achievements (made and aggregated as a submission
-- would), all submitted; ZU101's by Lee. Then every achievement is calculated.
select private.ensure_network_achievements(array(select a.id from public.achievements a where a.id::text like '4a000000-%'));
update public.network_achievements n
set status = 'submitted',
    submitted_at = n.achievement_date + interval '16 days 14 hours',
    submitted_by = case when n.pcn_id = '0a000000-0000-4000-8000-000000000101' then '0b000000-0000-4000-8000-000000000012'::uuid end,
    notes = case when n.pcn_id = '0a000000-0000-4000-8000-000000000101' then 'Checked with the practice managers.' end
where n.service_id = '1a000000-0000-4000-8000-000000000003';
select private.aggregate_network_achievements(array(select n.id from public.network_achievements n));
select private.calculate_achievements(array(select a.id from public.achievements a where a.id::text like '4a000000-%'));
update public.achievement_submissions s set points = a.points, payment = a.payment
from public.achievements a where a.id = s.achievement_id and a.id::text like '4a000000-%';

drop table seed_achievement_values;
select set_config('app.action', '', false);

-- ---------------------------------------------------------------- declarations (issue 14)
-- Declarations of the Network Contract DES 2025/26 in every status (docs/achievement.md,
-- "Declarations"). The achievement above made them (the declaration machine follows the
-- calculation); here they are moved on through the portal's own actions, as the personas,
-- so their tasks, notifications and audit trail are the real ones:
--   30/09/2025 (payment date)
--     ZP1001 Riverside Medical Centre  awaiting_network_achievement  Riverside PCN (ZU101) has not submitted: Lee submits it
--     ZP1002 Bridge Street Surgery     awaiting_network_achievement  the same; then IIF 0 of 2 (missing data: declaring refused)
--     ZP1003 Mill Lane Practice        awaiting_network_achievement  the same
--     ZP1006 Orchard Surgery           awaiting_network_achievement  no PCN on 30/09/2025 (the gap): the stuck-achievement demo
--     ZP1004 Hill Top Surgery          awaiting_finance_approval     declared by the practice, approved by Jordan: Morgan approves
--     ZP1005 Westfield Health Centre   approved_for_payment          declared, approved by Jordan, approved for payment by Morgan
--   31/03/2026 (payment date), from an extract; Hillside (ZU102) and Westfield (ZU103) submitted
--     ZP1004 Hill Top Surgery          awaiting_commissioner_approval  declared by the practice: Jordan approves
--     ZP1005 Westfield Health Centre   awaiting_provider_declaration   waits for the practice's declaration
-- Hill Top and Westfield have no portal accounts: their declarations are
-- recorded as the practice's (no person), the commissioner's steps as Jordan
-- Tier-Two and Morgan Finance (request.jwt.claims set for the call).

select set_config('app.action', 'seed', false);

-- Riverside PCN's network achievement for 30/09/2025 is not submitted (Lee's
-- journey); its practices are recalculated and wait for it.
update public.network_achievements n
set status = 'not_submitted', submitted_at = null, submitted_by = null, notes = null
where n.pcn_id = '0a000000-0000-4000-8000-000000000101' and n.service_id = '1a000000-0000-4000-8000-000000000003'
  and n.achievement_date = '2025-09-30' and n.status = 'submitted';
select private.calculate_achievements(array(
  select a.id from public.achievements a
  join public.pcn_memberships m on m.practice_id = a.provider_id and m.pcn_id = '0a000000-0000-4000-8000-000000000101'
    and m.during @> a.achievement_date
  where a.service_id = '1a000000-0000-4000-8000-000000000003' and a.achievement_date = '2025-09-30'));

-- 31/03/2026: Hill Top and Westfield from an extract, their PCNs' network achievements submitted.
create temporary table seed_q4_values (practice_n integer, code text, numerator integer, denominator integer, count integer);
insert into seed_q4_values values
  (1004, 'CAIP01', 70, 100, null), (1004, 'CAIP02', 28, 40, null), (1004, 'ACC-08', 178, 200, null), (1004, 'VI-01', null, null, 305),
  (1005, 'CAIP01', 93, 100, null), (1005, 'CAIP02', 38, 40, null), (1005, 'ACC-08', 146, 160, null), (1005, 'VI-01', null, null, 515);

insert into public.achievements (id, provider_id, service_id, achievement_date, commissioner_id, source, status, version,
  submitted_at, created_at, updated_at)
select ('4a000000-0000-4000-8000-' || lpad((p.practice_n * 10 + 4)::text, 12, '0'))::uuid,
       ('0a000000-0000-4000-8000-' || lpad(p.practice_n::text, 12, '0'))::uuid,
       '1a000000-0000-4000-8000-000000000003', '2026-03-31', '0a000000-0000-4000-8000-000000000010',
       'extract', 'submitted', 1, timestamptz '2026-04-08 06:00+01', timestamptz '2026-04-08 06:00+01', timestamptz '2026-04-08 06:00+01'
from (select distinct practice_n from seed_q4_values) p
order by p.practice_n;

insert into public.achievement_values (achievement_id, indicator_id, numerator, denominator, count, submitted)
select ('4a000000-0000-4000-8000-' || lpad((v.practice_n * 10 + 4)::text, 12, '0'))::uuid, i.id, v.numerator, v.denominator, v.count, true
from seed_q4_values v
join public.indicators i on i.service_id = '1a000000-0000-4000-8000-000000000003' and i.code = v.code;

insert into public.achievement_submissions (achievement_id, version, source, submitted_at, notes, submitted_values)
select a.id, 1, a.source, a.submitted_at, 'Loaded from an extract.', private.achievement_snapshot(a.id)
from public.achievements a where a.achievement_date = '2026-03-31' and a.id::text like '4a000000-%';

select private.ensure_network_achievements(array(select a.id from public.achievements a where a.achievement_date = '2026-03-31'));
update public.network_achievements n
set status = 'submitted', submitted_at = timestamptz '2026-04-16 14:00+01'
where n.service_id = '1a000000-0000-4000-8000-000000000003' and n.achievement_date = '2026-03-31'
  and n.pcn_id in ('0a000000-0000-4000-8000-000000000102', '0a000000-0000-4000-8000-000000000103');
select private.aggregate_network_achievements(array(
  select n.id from public.network_achievements n where n.service_id = '1a000000-0000-4000-8000-000000000003' and n.achievement_date = '2026-03-31'));
select private.calculate_achievements(array(select a.id from public.achievements a where a.achievement_date = '2026-03-31'));
update public.achievement_submissions s set points = a.points, payment = a.payment
from public.achievements a where a.id = s.achievement_id and a.achievement_date = '2026-03-31';
drop table seed_q4_values;

-- Hill Top's two declarations and Westfield's of 30/09/2025, declared by the
-- practice (no account to act as): the declare step as declare_achievements
-- makes it, with its audit entry and the commissioner's tasks.
create temporary table seed_declared as
select d.id, to_jsonb(d) as before_row
from public.declarations d
where d.service_id = '1a000000-0000-4000-8000-000000000003' and d.status = 'awaiting_provider_declaration'
  and (d.provider_id, d.achievement_date) in (('0a000000-0000-4000-8000-000000001004'::uuid, date '2025-09-30'),
                                             ('0a000000-0000-4000-8000-000000001005'::uuid, date '2025-09-30'),
                                             ('0a000000-0000-4000-8000-000000001004'::uuid, date '2026-03-31'));
update public.declarations d set status = 'awaiting_commissioner_approval', declared_at = now()
from seed_declared x where d.id = x.id;
select private.write_audit('declaration.declare', 'declaration', d.id::text, d.provider_id, null, x.before_row, to_jsonb(d), null)
from seed_declared x join public.declarations d on d.id = x.id order by d.achievement_date, d.provider_id;
select private.announce_declarations(array(select x.id from seed_declared x));
drop table seed_declared;

-- Jordan Tier-Two approves 30/09/2025's (Hill Top and Westfield); Morgan Finance approves Westfield's for payment.
select set_config('request.jwt.claims', '{"sub": "0b000000-0000-4000-8000-000000000005", "role": "authenticated"}', false);
select public.approve_declarations(array(
  select d.id from public.declarations d
  where d.achievement_date = '2025-09-30' and d.status = 'awaiting_commissioner_approval' order by d.provider_id));
select set_config('request.jwt.claims', '{"sub": "0b000000-0000-4000-8000-000000000006", "role": "authenticated"}', false);
select public.finance_approve_declarations(array(
  select d.id from public.declarations d
  where d.achievement_date = '2025-09-30' and d.provider_id = '0a000000-0000-4000-8000-000000001005'));
select set_config('request.jwt.claims', '', false);

select set_config('app.action', '', false);

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

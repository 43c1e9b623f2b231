-- Demo data for a fresh local database: the organisations of the demo data set
-- (project docs, demo-data.md). Tests, documentation and screenshots rely on
-- these exact ODS codes, names, types and parents: add rows freely, never
-- rename these. Everything here is fictional. People and memberships follow
-- in a later change.

with directory (ods_code, name, type, parent_code) as (
  values
    ('ZE1',    'NHS England (demo)',       'national', null),
    ('ZR1',    'Demo Region',              'region',   'ZE1'),
    ('ZN1',    'NHS Northshire ICB',       'icb',      'ZR1'),
    ('ZN1E',   'Northshire East',          'sub_icb',  'ZN1'),
    ('ZN1W',   'Northshire West',          'sub_icb',  'ZN1'),
    ('ZS1',    'NHS Southvale ICB',        'icb',      'ZR1'),
    ('ZS1C',   'Southvale Central',        'sub_icb',  'ZS1'),
    ('ZU101',  'Riverside PCN',            'pcn',      'ZN1E'),
    ('ZU102',  'Hillside PCN',             'pcn',      'ZN1E'),
    ('ZU103',  'Westfield PCN',            'pcn',      'ZN1W'),
    ('ZU201',  'Harbour PCN',              'pcn',      'ZS1C'),
    ('ZP1001', 'Riverside Medical Centre', 'practice', 'ZN1E'),
    ('ZP1002', 'Bridge Street Surgery',    'practice', 'ZN1E'),
    ('ZP1003', 'Mill Lane Practice',       'practice', 'ZN1E'),
    ('ZP1004', 'Hill Top Surgery',         'practice', 'ZN1E'),
    ('ZP1005', 'Westfield Health Centre',  'practice', 'ZN1W'),
    ('ZP2001', 'Harbour Medical Practice', 'practice', 'ZS1C'),
    ('ZP2002', 'Quayside Surgery',         'practice', 'ZS1C')
),
-- Give every organisation its id first, so children can point at parents
-- inserted by the same statement (foreign keys are checked at its end).
identified as materialized (
  select gen_random_uuid() as id, directory.* from directory
)
insert into public.organisations (id, ods_code, name, type, parent_id)
select child.id, child.ods_code, child.name, child.type::public.organisation_type, parent.id
from identified as child
left join identified as parent on parent.ods_code = child.parent_code
order by child.ods_code;

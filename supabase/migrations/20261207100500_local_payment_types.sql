-- Issue 11: a local service could take a national payment type.
--
-- quality_services.payment_type is free text (commissioners name their local
-- schemes as they like), but the national payment types — the Quality and
-- Outcomes Framework (QOF), Directed Enhanced Services (DES) and Vaccinations
-- and Immunisations (V&I) — belong to national services. A trigger refuses
-- them on a local service (insert and edit) with a message naming the rule.
-- The service form offers only the payment types of the chosen kind and
-- repeats the rule (isNationalPaymentType in src/resources/services/model.ts;
-- tests/shared/payment-type-cases.ts runs the same cases through both).
-- Existing rows are not judged (hosted data); an edit of one is.

create function private.is_national_payment_type(p_payment_type text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select lower(p_payment_type) ~ '\m(qof|des|v ?(&|and) ?i)\M'
      or regexp_replace(lower(p_payment_type), '[^a-z]', '', 'g')
           ~ '(quality(and)?outcomesframework|directedenhancedservice|vaccinations?(and)?immuni[sz]ations?)'
$$;
comment on function private.is_national_payment_type(text) is
  'True for the national payment types (QOF / Quality and Outcomes Framework, DES / Directed Enhanced Service, V&I / Vaccinations and Immunisations), however written.';

create function private.quality_services_payment_type_check()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.kind = 'local' and private.is_national_payment_type(new.payment_type) then
    raise exception using errcode = '23514',
      message = format('"%s" is a national payment type (QOF, DES, V&I): a local service takes a local one, such as Local Enhanced Service or Local Incentive Scheme.',
        new.payment_type),
      hint = 'Choose a local payment type, or create a national service for QOF, DES or V&I.';
  end if;
  return new;
end;
$$;

create trigger quality_services_payment_type_check
  before insert or update of payment_type, kind on public.quality_services
  for each row execute function private.quality_services_payment_type_check();

revoke all on function private.is_national_payment_type(text), private.quality_services_payment_type_check() from public;
-- The trigger runs as the writer (Commissioning Management writes the catalogue directly).
grant execute on function private.is_national_payment_type(text) to authenticated, service_role;

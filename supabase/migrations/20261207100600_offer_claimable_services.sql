-- Issue 11: services that cannot be claimed could be offered.
--
-- public.offer_service now refuses (23514) a local service that is not
-- participation only when providers could claim nothing under the offer:
--   * it has no component that pays (unit or retainer; participation
--     components carry no money), or
--   * none of its claim windows is for a period overlapping the offer's
--     start and end dates (a window for another part of the year does not help).
-- Participation-only services need neither. National services are not
-- refused here (their achievement is configured by indicator groups, which may
-- follow the offer); the offer wizard warns at its review step for any service
-- with nothing claimable (local or national). Everything else is as in
-- …_quality_services.sql.

create or replace function public.offer_service(
  p_service_id uuid,
  p_provider_ids uuid[],
  p_starts_on date,
  p_ends_on date,
  p_respond_by date,
  p_target_date date
)
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  service public.quality_services%rowtype;
  provider public.organisations%rowtype;
  provider_ids uuid[];
  offer public.service_offers%rowtype;
  reach uuid[];
  bad_date text;
  person uuid;
begin
  select * into service from public.quality_services s where s.id = p_service_id for share;
  if not found then
    perform private.fail('PT404', format('No quality service with id %s.', p_service_id), 'Choose a service from the catalogue.');
  end if;
  if not (service.id = any (array(select private.managed_services()))) then
    perform private.fail('42501', format('You may not offer %s.', service.name),
      format('Commissioning Management of %s offers its services.', private.organisation_label(service.commissioner_id)));
  end if;

  if p_starts_on is null or p_ends_on is null or p_respond_by is null or p_target_date is null then
    perform private.fail('22023', 'Start, end, response and target dates are all required.', 'Fill in every date of the offer.');
  end if;
  if p_starts_on > p_ends_on then
    perform private.fail('22023', format('The offer starts (%s) after it ends (%s).', private.uk_date(p_starts_on), private.uk_date(p_ends_on)),
      'The start date must be on or before the end date.');
  end if;
  select d.label into bad_date
  from (values ('start', p_starts_on), ('end', p_ends_on), ('response', p_respond_by), ('target', p_target_date)) as d (label, value)
  where d.value < service.starts_on or d.value > service.ends_on
  limit 1;
  if bad_date is not null then
    perform private.fail('23514', format('The %s date lies outside %s (%s to %s).', bad_date, service.name,
        private.uk_date(service.starts_on), private.uk_date(service.ends_on)),
      'Every date of an offer lies within the service''s own start and end dates.');
  end if;
  if p_respond_by > p_ends_on then
    perform private.fail('22023', format('The response date (%s) is after the offer ends (%s).', private.uk_date(p_respond_by), private.uk_date(p_ends_on)),
      'Providers answer before the offer ends.');
  end if;

  -- Something to claim (issue 11): a local service that is not participation
  -- only needs a component that pays (unit or retainer) and a claim window
  -- for a period within the offer's dates.
  if service.kind = 'local' and not service.participation_only then
    if not exists (select 1 from public.service_components c where c.service_id = service.id and c.kind in ('unit', 'retainer')) then
      perform private.fail('23514',
        format('%s has nothing to claim: it has no unit or retainer component, so providers could not claim anything.', service.name),
        'Add a unit or retainer component, or make the service participation only, before offering it.');
    end if;
    if not exists (select 1 from public.claim_windows w
                   where w.service_id = service.id and w.period_starts_on <= p_ends_on and w.period_ends_on >= p_starts_on) then
      perform private.fail('23514',
        format('%s has nothing to claim between %s and %s: none of its claim windows covers a period in those dates.', service.name,
          private.uk_date(p_starts_on), private.uk_date(p_ends_on)),
        'Add a claim window for a period inside the offer''s dates, or change the dates.');
    end if;
  end if;

  if p_provider_ids is null or cardinality(p_provider_ids) = 0 or array_position(p_provider_ids, null) is not null then
    perform private.fail('22023', 'Choose at least one provider.', 'Pass the ids of the provider organisations.');
  end if;
  provider_ids := array(select distinct unnest(p_provider_ids));
  reach := array(select private.organisations_with_role('{commissioning_management}'));

  -- Check every provider before creating anything.
  for provider in select * from public.organisations o where o.id = any (provider_ids) order by o.ods_code loop
    if not private.is_provider_type(provider.type) then
      perform private.fail('22023', format('%s is a %s, not a provider.', private.organisation_label(provider.id), provider.type),
        'Offer services to practices, PCNs or other providers.');
    end if;
    if not exists (select 1 from public.organisation_closure c
                   where c.ancestor_id = service.commissioner_id and c.descendant_id = provider.id and c.depth > 0) then
      perform private.fail('23514', format('%s is not under %s, which commissions %s.', private.organisation_label(provider.id),
          private.organisation_label(service.commissioner_id), service.name),
        'Offer services only to providers below the commissioner.');
    end if;
    if not (provider.id = any (reach)) then
      perform private.fail('42501', format('%s is outside your reach.', private.organisation_label(provider.id)),
        'Your access is limited to your clusters'' organisations; another commissioner may offer it.');
    end if;
    if exists (select 1 from public.service_offers f where f.service_id = service.id and f.provider_id = provider.id and f.status <> 'cancelled') then
      perform private.fail('PT409', format('%s already has an offer of %s that is not cancelled.', private.organisation_label(provider.id), service.name),
        'Cancel or withdraw that offer first, or leave the provider out.');
    end if;
  end loop;
  if (select count(*) from public.organisations o where o.id = any (provider_ids)) <> cardinality(provider_ids) then
    perform private.fail('PT404', 'One of the providers does not exist.', 'Choose providers from the list.');
  end if;

  perform private.begin_action('offer.create');
  for provider in select * from public.organisations o where o.id = any (provider_ids) order by o.ods_code loop
    begin
      insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, offered_at, offered_by)
      values (service.id, provider.id, p_starts_on, p_ends_on, p_respond_by, p_target_date, 'offered', now(), me)
      returning * into offer;
    exception when unique_violation then
      perform private.fail('PT409', format('%s already has an offer of %s that is not cancelled.', private.organisation_label(provider.id), service.name),
        'Someone offered it at the same time: reload the list.');
    end;
    perform private.write_audit('offer.create', 'service_offer', offer.id::text, provider.id, null, null, to_jsonb(offer), null);
    for person in select private.people_with_role_at(provider.id, '{service_management}') loop
      perform private.queue_notification(person, 'service_offered',
        format('Service offered: %s', service.name),
        format('%s offers %s (%s) to %s from %s to %s. Please accept or reject it by %s.',
          private.organisation_label(service.commissioner_id), service.name, service.financial_year, private.organisation_label(provider.id),
          private.uk_date(offer.starts_on), private.uk_date(offer.ends_on), private.uk_date(offer.respond_by)),
        format('/participation/%s', offer.id));
    end loop;
    return next offer.id;
  end loop;
  perform private.end_action();
end;
$$;


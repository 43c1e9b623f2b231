-- Issue 14 (national services): notification kinds of achievement and
-- declarations. Own migration: a new enum value cannot be used in the
-- transaction adding it.
--   declaration_awaiting             task for the provider's Declaration Management:
--                                    achievement for a payment date waits to be declared;
--   declaration_awaiting_approval    task for the commissioner's Approval Management;
--   declaration_awaiting_finance     task for the commissioner's Finance Management;
--   declaration_approved             notification to the declarer: approved for payment;
--   declaration_recalculated         notification to the provider's Declaration
--                                    Management: a recalculation changed the figures of
--                                    an open declaration, which must be declared again;
--   network_achievement_awaited      task for a PCN's nominated people (Declaration
--                                    Management at the PCN): practices wait for the
--                                    PCN's network achievement (also the commissioner's
--                                    reminder).

alter type public.notification_kind add value if not exists 'declaration_awaiting';
alter type public.notification_kind add value if not exists 'declaration_awaiting_approval';
alter type public.notification_kind add value if not exists 'declaration_awaiting_finance';
alter type public.notification_kind add value if not exists 'declaration_approved';
alter type public.notification_kind add value if not exists 'declaration_recalculated';
alter type public.notification_kind add value if not exists 'network_achievement_awaited';

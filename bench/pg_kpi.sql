-- bench/pg_kpi.sql: lac.review_timeliness and cp.repeat_plans in SQL, from
-- the append-only jsonb table that bench/pg_load.py fills
-- (events(seq, id unique, body jsonb)), written from KPIS.md and EVENTS.md
-- alone, as a council's BI team would write them: a second, independent
-- implementation that bench/run checks irokpid's answers against.
--
-- Needs bank_holidays(day date) filled first; bench/pg_kpi.py loads it from
-- bank_holidays, which prints domain/calendar.c's list.  Every object is
-- (re)created here; the KPIs are plain SQL functions of the window, computed
-- from the jsonb on every call (nothing is materialised).

drop function if exists kpi_lac_review_timeliness(date, date);
drop function if exists kpi_cp_repeat_plans(date, date);
drop view if exists lac_reviews_due, lac_reviews, episodes, ev;
drop table if exists working_days, dim_date;

-- The working-day calendar (KPIS.md, shared rules): Monday to Friday, not a
-- bank holiday.  dim_date.wd_ord counts the working days up to and
-- including day, and working_days numbers them, so the nth working day
-- after D is working_days.day where ord = D's wd_ord + n.
create table dim_date as
select d::date as day,
       count(*) filter (where w) over (order by d) as wd_ord,
       w as working
from generate_series('2010-01-01'::date, '2040-12-31'::date, '1 day') d
cross join lateral (
  select extract(isodow from d) < 6
         and not exists (select 1 from bank_holidays h where h.day = d)
) x(w);
alter table dim_date add primary key (day);
create table working_days as
select wd_ord as ord, day from dim_date where working;
alter table working_days add primary key (ord);

-- What a reporting schema would add to the loaded table: indexes on the
-- event type and on retraction targets, and statistics, without which the
-- planner guesses the jsonb filters badly (nested loops over the table).
drop index if exists events_type, events_target;
create index events_type on events ((body->>'type'));
create index events_target on events ((body->>'target'))
  where body->>'type' = 'event.retracted';
analyze events;

-- The events that count: the first stored of each id (the unique index),
-- not retracted, and not retractions themselves.  A retraction that was
-- itself retracted never happened (EVENTS.md: "as if it had never
-- arrived"), so it retracts nothing.  day is the business date (the date
-- part of "at" as written); rank orders a child's events on one date
-- (KPIS.md, "Order within a child"), then the id, bytewise.
create view ev as
select e.id,
       e.body->>'type' as type,
       e.body->>'child' as child,
       left(e.body->>'at', 10)::date as day,
       case e.body->>'type'
         when 'lac.ended' then 0 when 'cp_plan.ended' then 0
         when 'lac.started' then 1 when 'cp_plan.started' then 1
         when 'strategy.held' then 2
         when 'child.registered' then 3
         when 'iro.allocated' then 4
         else 5
       end as rank,
       e.body
from events e
where e.body->>'type' <> 'event.retracted'
  and not exists (
    select 1 from events r
    where r.body->>'type' = 'event.retracted'
      and r.body->>'target' = e.id
      and not exists (
        select 1 from events rr
        where rr.body->>'type' = 'event.retracted'
          and rr.body->>'target' = r.id));

-- Looked-after episodes and child protection plans (KPIS.md, "Episode"):
-- a start inside an open one, or an end outside one, changes nothing.  In
-- each child's sequence of starts and ends, only the first of a run of the
-- same type matters; each remaining start opens an episode that the next
-- remaining row (an end, or none: still open) closes.
create view episodes as
with se as (
  select child, day, rank, id, body,
         split_part(type, '.', 1) as kind,
         type like '%.started' as is_start
  from ev
  where type in ('lac.started', 'lac.ended',
                 'cp_plan.started', 'cp_plan.ended')
), changes as (
  select *,
         lag(is_start) over (partition by child, kind
                             order by day, rank, id collate "C") as prev
  from se
), kept as (
  select *,
         lead(day) over (partition by child, kind
                         order by day, rank, id collate "C") as end_day
  from changes
  where prev is distinct from is_start
)
select kind, child, day as start_day, end_day, id as start_id,
       body as start_body,
       row_number() over (partition by child, kind
                          order by day, id collate "C") as number
from kept
where is_start;

-- LAC reviews numbered within their episode; a review outside any episode,
-- or in a series of short breaks (legal_status V3/V4), counts nowhere.  An
-- episode holds the days start <= d < end.
create view lac_reviews as
select r.id, r.child, r.day, r.body->>'meeting' as meeting, e.start_day,
       row_number() over (partition by r.child, e.start_day
                          order by r.day, r.id collate "C") as number
from ev r
join episodes e on e.kind = 'lac' and e.child = r.child
  and r.day >= e.start_day and (e.end_day is null or r.day < e.end_day)
where r.type = 'review.held'
  and coalesce(e.start_body->>'legal_status', '') not in ('V3', 'V4');

-- Due dates: the 1st review 20 working days after the episode starts, the
-- 2nd 3 months after the 1st, later ones 6 months after the previous
-- (calendar months; PostgreSQL clamps to the month's last day, as KPIS.md
-- asks).  Timely: held on or before the due date.
create view lac_reviews_due as
select *, day <= due as timely
from (
  select r.*,
         case r.number
           when 1 then w.day
           when 2 then (r.prev_day + interval '3 months')::date
           else (r.prev_day + interval '6 months')::date
         end as due
  from (
    select *, lag(day) over (partition by child, start_day
                             order by number) as prev_day
    from lac_reviews
  ) r
  join dim_date s on s.day = r.start_day
  join working_days w on w.ord = s.wd_ord + 20
) x;

-- lac.review_timeliness: the headline counts a meeting of siblings once, on
-- its earliest review, timely when every child's review in it was; a review
-- without a meeting is a meeting of its own.  Also the per-child figure.
create function kpi_lac_review_timeliness(p_from date, p_to date)
returns table (num bigint, den bigint, child_num bigint, child_den bigint)
language sql stable as $$
  with r as (
    select * from lac_reviews_due
  ), meetings as (
    select min(day) as day, bool_and(timely) as timely
    from r
    group by meeting is null, coalesce(meeting, id)
  )
  select m.num, m.den, c.num, c.den
  from (select count(*) filter (where timely) as num, count(*) as den
        from meetings where day between p_from and p_to) m,
       (select count(*) filter (where timely) as num, count(*) as den
        from r where day between p_from and p_to) c
$$;

-- cp.repeat_plans: plans started in the window that are the child's second
-- or later (an earlier plan in the log) or that the case system says follow
-- previous plans / plans started in the window.
create function kpi_cp_repeat_plans(p_from date, p_to date)
returns table (num bigint, den bigint)
language sql stable as $$
  select count(*) filter (
           where number > 1
              or coalesce((start_body->>'previous_plans')::int, 0) > 0),
         count(*)
  from episodes
  where kind = 'cp_plan' and start_day between p_from and p_to
$$;

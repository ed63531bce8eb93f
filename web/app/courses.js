// A citizen's courses on the citizen's page: start one, and record its
// dated events (the next CTI phase, a plan item, the end). Each event sends
// the version shown, so one recorded meanwhile is refused, not overwritten.

import { el } from '/lib/dom.js';
import { checkboxes, form, input, need, select, today } from './forms.js';
import { label, t, values, when } from './i18n.js';
import { call, can } from './session.js';

// One document per event, written out, so that each is on the allow-list as it is sent.
const EVENTS = {
  startCourse: `mutation StartCourse($input: StartCourseInput!) { startCourse(input: $input) { id } }`,
  startCoursePhase: `mutation StartCoursePhase($input: StartCoursePhaseInput!) { startCoursePhase(input: $input) { id } }`,
  addPlanItem: `mutation AddPlanItem($input: AddPlanItemInput!) { addPlanItem(input: $input) { id } }`,
  changeSupportPerson: `mutation ChangeSupportPerson($input: ChangeSupportPersonInput!) { changeSupportPerson(input: $input) { id } }`,
  endCourse: `mutation EndCourse($input: EndCourseInput!) { endCourse(input: $input) { id } }`,
};

const course = (name, input) => call(EVENTS[name], { input });

export function courseSection(c, reload) {
  return el(
    'section',
    { 'aria-labelledby': 'courses-h' },
    el('h2', { id: 'courses-h' }, t('courses')),
    c.courses.length ? el('ul', { class: 'items' }, c.courses.map((k) => one(k, reload))) : el('p', { class: 'muted' }, t('none')),
    can('course', 'create') ? startForm(c, reload) : null,
  );
}

function one(k, reload) {
  const head = [label('courseKind', k.kind), k.track ? ` · ${label('track', k.track)}` : '', k.phase ? ` · ${t('phase', { n: k.phase })}` : '', ` · ${when(k.startedOn)}`, k.endedOn ? ` · ${t('ended', { on: when(k.endedOn) })}` : ''];
  const open = !k.endedOn && can('course', 'update');
  const ev = (name, extra) => course(name, { courseId: k.id, expectedVersion: k.version, ...extra }).then(reload);
  return el(
    'li',
    { 'data-course': k.id },
    el('h3', {}, head),
    k.supportPerson ? el('p', { class: 'small' }, `${t('supportPerson')}: ${k.supportPerson}`) : null,
    k.activityPlan.length ? el('ul', {}, k.activityPlan.map((p) => el('li', {}, `${label('need', p.need)}: ${p.goal} (${p.status})`))) : null,
    el('details', {}, el('summary', {}, t('events')), el('ul', {}, k.events.map((e) => el('li', {}, `${when(e.on)} · ${label('event', e.kind)} · ${e.actor}`)))),
    open && k.kind === 'CTI' && k.phase < 3
      ? form({
          name: 'phase',
          title: t('nextPhase'),
          children: input({ name: 'on', label: t('on'), type: 'date', value: today() }),
          submit: t('nextPhase'),
          reload,
          onSubmit: (v) => ev('startCoursePhase', { phase: k.phase + 1, on: need(v.on, 'on') }),
        })
      : null,
    open
      ? form({
          name: 'plan',
          title: t('addPlanItem'),
          children: [
            select({ name: 'need', label: t('need'), options: values('need').map((n) => [n, label('need', n)]) }),
            input({ name: 'goal', label: t('goal') }),
            input({ name: 'on', label: t('on'), type: 'date', value: today() }),
          ],
          submit: t('addPlanItem'),
          reload,
          onSubmit: (v) => ev('addPlanItem', { need: v.need, goal: need(v.goal, 'goal'), on: need(v.on, 'on') }),
        })
      : null,
    open
      ? form({
          name: 'support',
          title: t('changeSupportPerson'),
          children: [input({ name: 'supportPerson', label: t('supportPerson') }), input({ name: 'on', label: t('on'), type: 'date', value: today() })],
          submit: t('changeSupportPerson'),
          reload,
          onSubmit: (v) => ev('changeSupportPerson', { supportPerson: need(v.supportPerson, 'supportPerson'), on: need(v.on, 'on') }),
        })
      : null,
    open
      ? form({
          name: 'end',
          title: t('endCourse'),
          children: [
            select({ name: 'reason', label: t('endReason'), options: values('endReason').map((r) => [r, label('endReason', r)]) }),
            checkboxes({ name: 'outcomes', legend: t('outcomes'), options: values('outcome').map((o) => [o, label('outcome', o)]) }),
            input({ name: 'on', label: t('on'), type: 'date', value: today() }),
          ],
          submit: t('endCourse'),
          reload,
          onSubmit: (v) => ev('endCourse', { reason: v.reason, outcomes: v.outcomes ?? [], on: need(v.on, 'on') }),
        })
      : null,
  );
}

function startForm(c, reload) {
  return form({
    name: 'course',
    title: t('startCourse'),
    children: [
      select({ name: 'kind', label: t('courseKind'), options: values('courseKind').map((k) => [k, label('courseKind', k)]) }),
      select({ name: 'track', label: t('track'), options: [['', t('noTrack')], ...values('track').map((k) => [k, label('track', k)])] }),
      input({ name: 'startedOn', label: t('startedOn'), type: 'date', value: today() }),
      input({ name: 'supportPerson', label: t('supportPerson') }),
    ],
    submit: t('startCourse'),
    creates: true,
    reload,
    onSubmit: async (v, _form, idempotencyKey) => {
      const input = { citizenId: c.id, kind: v.kind, startedOn: need(v.startedOn, 'startedOn'), idempotencyKey };
      if (v.track) input.track = v.track;
      if (v.supportPerson) input.supportPerson = v.supportPerson;
      await course('startCourse', input);
      await reload();
    },
  });
}

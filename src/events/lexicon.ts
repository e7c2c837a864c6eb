/**
 * The bilingual concept lexicon of story grouping: English and Spanish words for the same thing
 * map to one concept, so "Mexico extradites 29 capos" and "México extradita a 29 narcos" share
 * most of their terms. It is written for the kinds of stories of a US–Mexico security and trade
 * desk — handovers, arrests, court stages, killings, tariffs and their stages, the goods and the
 * countries involved — not for particular headlines.
 *
 * Patterns are written as entity aliases are (folded for case and accents, a trailing "*" is a
 * wildcard) and compiled into the same automaton as the watchlists' terms.
 *
 * A concept with a `stage` is a step in the life of a story — an arrest, a handover, a plea, a
 * sentence; a tariff imposed, taking effect, postponed. Two reports of one step share it; a
 * later step about the same people (the plea three days after the arraignment, the
 * postponement two days after the announcement) is a new event, and the clusterer keeps it
 * apart (see clusterer.ts).
 */
export interface ConceptDefinition {
  /** The term stories share: a readable id. */
  concept: string;
  /** How much sharing it says about being the same event (see WEIGHTS). */
  weight: number;
  /** Set for the steps of a story's life. */
  stage?: string;
  /**
   * Aliases, comma-separated. One written in capitals ("US") matches only text in capitals, so
   * the pronoun "us" is not the country.
   */
  patterns: string;
  /** Only in stories of this language (Spanish "son" is "they are", not a son). */
  language?: 'en' | 'es';
  /** A country or union other than the United States: who a story is about (the US is in nearly all of them). */
  country?: boolean;
  /** A good a tariff is on: two tariff stories on different goods are different measures. */
  good?: boolean;
  /**
   * Says what the story is about — a country other than the two, a good, a treaty — as names,
   * numbers and other words do; stages and the desk's common words do not (see clusterer.ts).
   */
  anchor?: boolean;
}

/**
 * Prior weights. In a full window, inverse document frequency lowers whatever is everywhere;
 * these say what a term is worth before the window has taught anything.
 */
export const WEIGHTS = {
  /** Mexico and the United States: in nearly every story of the desk. */
  home: 0.3,
  /** Words of the desk's every story: tariff, cartel, drugs, government, court. */
  common: 0.5,
  /** What happened: the stage of the story. */
  stage: 1,
  /** A specific thing: a country other than the two, a good, a treaty, the death penalty. */
  specific: 1,
  /** A plain word nobody mapped. */
  word: 1,
  /** A named entity of the configuration (a person, a cartel). */
  entity: 1.5,
  /** A number: counts, percentages, days of the month. */
  number: 1.5,
  /** A number below 5: "two judges", "3 charges" say little. */
  smallNumber: 0.5,
  /** A year: shared by every story of the year. */
  year: 0.3,
  /** Months and weekdays: shared by every story of the day. */
  calendar: 0.4,
  /** A day of a month ("April 2", "2 de abril"): the date a tariff starts, a hearing is set. */
  date: 1,
} as const;

const { home, common, stage, specific, calendar } = WEIGHTS;

/**
 * The order of the stages along a story's life, per track. A title naming a stage the event has
 * not seen opens a new event when it is later than (or as late as) every stage the event has on
 * that track: the plea after the arraignment, the postponement after the announcement. An
 * earlier stage in a title is background ("the capo arrested in 2023 is extradited"); a stage
 * off the tracks (a killing, an escape, a warning) is always a new development.
 */
export const STAGE_ORDER: Readonly<Record<string, { track: string; rank: number }>> = {
  arrest: { track: 'justice', rank: 1 },
  indictment: { track: 'justice', rank: 1 },
  handover: { track: 'justice', rank: 2 },
  arraignment: { track: 'justice', rank: 3 },
  hearing: { track: 'justice', rank: 4 },
  trial: { track: 'justice', rank: 5 },
  plea: { track: 'justice', rank: 6 },
  verdict: { track: 'justice', rank: 6 },
  sentence: { track: 'justice', rank: 7 },
  impose: { track: 'trade', rank: 1 },
  'take-effect': { track: 'trade', rank: 2 },
  postpone: { track: 'trade', rank: 3 },
  lift: { track: 'trade', rank: 3 },
};

const STAGES: ConceptDefinition[] = [
  // Justice: a person's way from arrest to sentence.
  {
    concept: 'arrest',
    weight: stage,
    stage: 'arrest',
    patterns: 'arrest*, captur*, recaptur*, detain*, apprehend*, nabbed, surrender*, turned himself in, turns himself in, ' +
      'hands himself in, handed himself in, detien*, detuv*, detenid*, detencion*, aprehen*, arrestad*, ' +
      'se entrega, se entregan, se entrego, se entregaron, entregarse, rendicion, se rinde, se rindio',
  },
  {
    concept: 'handover',
    weight: stage,
    stage: 'handover',
    patterns: 'extradit*, extradic*, transfer*, traslad*, send, sends, sent, sending, envia, envian, envio, enviad*, enviar, ' +
      'enviaron, hand over, hands over, handed over, handing over, handover*, turn over, turns over, turned over, ' +
      'turning over, expel*, expulsion*, expuls*, deport*, entreg*, remit*',
  },
  {
    concept: 'indictment',
    weight: stage,
    stage: 'indictment',
    patterns: 'indict*, unsealed, acusacion formal, acusado formalmente, acusados formalmente, imputacion*',
  },
  {
    concept: 'arraignment',
    weight: stage,
    stage: 'arraignment',
    patterns: 'arraign*, pleads not guilty, pleaded not guilty, pled not guilty, plead not guilty, pleading not guilty, ' +
      'not guilty plea, not guilty pleas, se declara no culpable, se declaro no culpable, se declaran no culpables, ' +
      'se declararon no culpables, no culpable, no culpables, comparec*, primera audiencia, court appearance, ' +
      'first appearance, initial appearance',
  },
  {
    concept: 'plea',
    weight: stage,
    stage: 'plea',
    patterns: 'pleads guilty, pleaded guilty, pled guilty, plead guilty, pleading guilty, guilty plea*, plea, pleas, ' +
      'se declara culpable, se declaro culpable, se declaran culpables, se declararon culpables, se declarara culpable, ' +
      'se declararia culpable, declararse culpable, declarara culpable, declararia culpable, culpabilidad',
  },
  {
    concept: 'hearing',
    weight: stage,
    stage: 'hearing',
    patterns: 'hearing, hearings, audiencia, audiencias, court date, status conference',
  },
  { concept: 'trial', weight: stage, stage: 'trial', patterns: 'trial, trials, juicio, juicios, jury, jurado, jurados' },
  {
    concept: 'verdict',
    weight: stage,
    stage: 'verdict',
    patterns: 'verdict*, veredicto*, convicted, found guilty, hallado culpable, hallada culpable, declarado culpable, ' +
      'declarada culpable, acquit*, absuel*, absolvi*',
  },
  {
    concept: 'sentence',
    weight: stage,
    stage: 'sentence',
    patterns: 'sentenced, sentencing, resentenc*, sentenciad*, sentencian, sentencio, condenado a, condenada a, ' +
      'condenados a, condenan a, condeno a, cadena perpetua, life sentence',
  },
  {
    concept: 'killed',
    weight: stage,
    stage: 'killed',
    patterns: 'killed, kill, kills, killing, slain, shot dead, gunned down, found dead, dead, died, dies, death, murder*, ' +
      'assassinat*, abatid*, abatio, abaten, abatieron, mataron, matan, mato, asesinad*, asesinan, asesinato*, ' +
      'asesino a, muerte, muere, murio, sin vida, ejecutad*, pierde la vida, perdio la vida, neutraliz*',
  },
  {
    concept: 'escape',
    weight: stage,
    stage: 'escape',
    patterns: 'escape*, jailbreak, prison break, fuga, fugas, se fuga, se fugo, se fugaron, evadio',
  },
  {
    concept: 'release',
    weight: stage,
    stage: 'release',
    patterns: 'released, freed, set free, liberad*, liberan, libero, liberacion, excarcel*, sale de prision',
  },
  // Trade: a tariff's way from threat to removal.
  {
    concept: 'impose',
    weight: stage,
    stage: 'impose',
    patterns: 'impose*, imposing, imposicion, impone*, impuso, impondra*, imponer, slap*, levy, levies, levied, hike*, ' +
      'threat*, amenaz*',
  },
  {
    concept: 'take-effect',
    weight: stage,
    stage: 'take-effect',
    patterns: 'take effect, takes effect, took effect, taking effect, go into effect, goes into effect, went into effect, ' +
      'going into effect, come into force, comes into force, came into force, in force, kick in, kicks in, ' +
      'entra en vigor, entran en vigor, entro en vigor, entraron en vigor, entrara en vigor, entraran en vigor, ' +
      'en vigor, entra en vigencia, entran en vigencia, entraran en vigencia, en vigencia, vigencia',
  },
  {
    concept: 'postpone',
    weight: stage,
    stage: 'postpone',
    patterns: 'postpon*, delay*, pospon*, pospuso, aplaz*, retras*, paus*, suspend*, suspension*, suspensi*, extend*, ' +
      'extension*, extensi*, prorrog*, prorroga*, push back, pushes back, pushed back, pushing back, exempt*, ' +
      'exencion*, exent*, exime, eximen, reprieve*, respite, tregua, hold off, holds off, on hold',
  },
  {
    concept: 'lift',
    weight: stage,
    stage: 'lift',
    patterns: 'lift*, scrap*, revok*, revoc*, rescind*, elimin*, levanta*, retira*, rollback, roll back, rolls back',
  },
  { concept: 'warn', weight: stage, stage: 'warn', patterns: 'warn*, advierte*, advirti*, advertencia*' },
  {
    concept: 'retaliate',
    weight: stage,
    stage: 'retaliate',
    patterns:
      'retaliat*, represalia*, countermeasure*, contramedida*, counter tariffs, counter tariff, hit back, hits back, ' +
      'hitting back, strike back, strikes back, responde con aranceles, responden con aranceles, respondio con aranceles',
  },
];

const COUNTRIES: ConceptDefinition[] = [
  { concept: 'mexico', weight: home, country: true, patterns: 'mexic*' },
  {
    concept: 'united-states',
    weight: home,
    patterns: 'united states, estados unidos, US, u s, usa, u s a, eeuu, ee uu, eua, e u a, estadounidense*, american, ' +
      'americans, norteamerican*',
  },
  // Spanish "EU" is Estados Unidos; English "EU" is the European Union.
  { concept: 'united-states', weight: home, language: 'es', patterns: 'eu' },
  { concept: 'european-union', weight: specific, language: 'en', country: true, patterns: 'eu' },
  { concept: 'canada', weight: specific, country: true, patterns: 'canad*' },
  { concept: 'china', weight: specific, country: true, patterns: 'china, chinese, chino, chinos, beijing, pekin' },
  { concept: 'european-union', weight: specific, country: true, patterns: 'european union, union europea, brussels, bruselas' },
  { concept: 'european-union', weight: specific, language: 'es', country: true, patterns: 'ue' },
  { concept: 'india', weight: specific, country: true, patterns: 'india, indian, indio, indios, nueva delhi, new delhi' },
  { concept: 'japan', weight: specific, country: true, patterns: 'japan*, japon*' },
  { concept: 'korea', weight: specific, country: true, patterns: 'korea*, corea*' },
  { concept: 'brazil', weight: specific, country: true, patterns: 'brazil*, brasil*' },
  { concept: 'colombia', weight: specific, country: true, patterns: 'colombia*' },
  { concept: 'ecuador', weight: specific, country: true, patterns: 'ecuador*, ecuatorian*' },
  { concept: 'venezuela', weight: specific, country: true, patterns: 'venez*' },
  { concept: 'honduras', weight: specific, country: true, patterns: 'hondur*' },
  { concept: 'guatemala', weight: specific, country: true, patterns: 'guatemal*' },
  { concept: 'el-salvador', weight: specific, country: true, patterns: 'el salvador, salvadoran*, salvadoreñ*' },
  { concept: 'chile', weight: specific, country: true, patterns: 'chile, chilean*, chilen*' },
  { concept: 'peru', weight: specific, country: true, patterns: 'peru, peruvian*, peruan*' },
  { concept: 'argentina', weight: specific, country: true, patterns: 'argentin*' },
  { concept: 'cuba', weight: specific, country: true, patterns: 'cuba, cuban*, cubano*, cubana*' },
  { concept: 'spain', weight: specific, country: true, patterns: 'spain, españa, spanish, español*' },
  { concept: 'germany', weight: specific, country: true, patterns: 'germany, alemania, aleman, alemanes, alemana*' },
  { concept: 'france', weight: specific, country: true, patterns: 'france, francia, french, frances, francesa*' },
  { concept: 'britain', weight: specific, country: true, patterns: 'britain, british, united kingdom, uk, reino unido, britanic*' },
  { concept: 'italy', weight: specific, country: true, patterns: 'italy, italia, italian*, italiano*' },
  { concept: 'russia', weight: specific, country: true, patterns: 'russia*, rusia, ruso, rusos, rusa, rusas' },
  { concept: 'ukraine', weight: specific, country: true, patterns: 'ukrain*, ucrania*' },
  { concept: 'turkey', weight: specific, country: true, patterns: 'turkiye, turquia, turkish, turco, turcos' },
  { concept: 'vietnam', weight: specific, country: true, patterns: 'vietnam*' },
  { concept: 'taiwan', weight: specific, country: true, patterns: 'taiwan*' },
  { concept: 'israel', weight: specific, country: true, patterns: 'israel*' },
  { concept: 'iran', weight: specific, country: true, patterns: 'iran, iranian*, irani' },
  { concept: 'nicaragua', weight: specific, country: true, patterns: 'nicaragu*' },
  { concept: 'panama', weight: specific, country: true, patterns: 'panama, panamanian*, panameñ*' },
  { concept: 'costa-rica', weight: specific, country: true, patterns: 'costa rica, costa rican*, costarricense*' },
  { concept: 'bolivia', weight: specific, country: true, patterns: 'bolivia*' },
  { concept: 'dominican-republic', weight: specific, country: true, patterns: 'dominican republic, republica dominicana, dominican*' },
  { concept: 'netherlands', weight: specific, country: true, patterns: 'netherlands, dutch, holland, paises bajos, holanda, holandes*' },
  { concept: 'australia', weight: specific, country: true, patterns: 'australia*' },
  { concept: 'switzerland', weight: specific, country: true, patterns: 'switzerland, swiss, suiza, suizo*' },
  { concept: 'philippines', weight: specific, country: true, patterns: 'philippine*, filipin*' },
  { concept: 'indonesia', weight: specific, country: true, patterns: 'indonesia*' },
  { concept: 'thailand', weight: specific, country: true, patterns: 'thailand, thai, tailandia' },
  { concept: 'asia', weight: specific, country: true, patterns: 'asia, asian, asians, asiatic*' },
];

const THINGS: ConceptDefinition[] = [
  // Crime and justice.
  { concept: 'cartel', weight: common, patterns: 'cartel, cartels, carteles, cartel*, crimen organizado, organized crime' },
  {
    concept: 'criminal-group',
    weight: common,
    patterns: 'criminal group*, criminal organization*, criminal organisation*, organizacion criminal, ' +
      'organizaciones criminales, grupo criminal, grupos criminales, gang, gangs, pandilla*',
  },
  {
    concept: 'trafficker',
    weight: common,
    patterns: 'drug lord*, kingpin*, capo, capos, narco, narcos, narcotraficante*, trafficker*, drug dealer*, ' +
      'narcotrafico, drug trafficking, narcotraffick*',
  },
  { concept: 'criminal', weight: common, patterns: 'criminal, criminals, criminales, delincuente*, gangster*, mobster*' },
  { concept: 'hitman', weight: specific, patterns: 'hitman, hitmen, assassin*, sicario*, pistolero*, gunmen, gunman' },
  { concept: 'drug', weight: common, patterns: 'drug, drugs, droga, drogas, narcotic*, narcotico*, estupefaciente*' },
  { concept: 'fentanyl', weight: specific, patterns: 'fentanyl, fentanilo' },
  { concept: 'leader', weight: common, patterns: 'leader*, lider, lideres, jefe, jefes, cabecilla*, boss, bosses, head of' },
  { concept: 'founder', weight: specific, patterns: 'founder*, cofounder*, co founder*, fundador*, cofundador*' },
  {
    concept: 'prisoner',
    weight: common,
    patterns: 'prisoner*, prisionero*, inmate*, reo, reos, preso, presos, recluso*, detainee*, convicts',
  },
  {
    concept: 'prison',
    weight: common,
    patterns: 'prison, prisons, prision, prisiones, carcel*, jail, jails, reclusorio*, penitenciari*, cereso',
  },
  { concept: 'prison', weight: common, language: 'es', patterns: 'penal, penales' },
  { concept: 'fugitive', weight: common, patterns: 'fugitive*, profugo*, most wanted, mas buscado*, wanted' },
  { concept: 'member', weight: common, patterns: 'member, members, miembro*, integrante*, operador*, operative*' },
  { concept: 'son', weight: specific, language: 'en', patterns: 'son, sons' },
  { concept: 'son', weight: specific, patterns: 'hijo, hijos' },
  { concept: 'brother', weight: specific, patterns: 'brother*, hermano*' },
  { concept: 'court', weight: common, patterns: 'court*, corte, cortes, tribunal*' },
  { concept: 'judge', weight: common, patterns: 'judge*, juez, jueza, jueces' },
  { concept: 'prosecutor', weight: common, patterns: 'prosecutor*, fiscal, fiscales, fiscalia*, attorney general, procurador*' },
  {
    concept: 'justice-department',
    weight: common,
    patterns: 'justice department, department of justice, departamento de justicia, doj',
  },
  { concept: 'charges', weight: common, patterns: 'charge*, cargo*, acusad*, acusacion*, accus*' },
  { concept: 'death-penalty', weight: specific, anchor: true, patterns: 'death penalty, pena de muerte, pena capital, capital punishment' },
  { concept: 'money-laundering', weight: specific, patterns: 'money laundering, lavado de dinero, blanqueo*, launder*' },
  { concept: 'weapons', weight: specific, patterns: 'weapon*, firearm*, arma, armas, armas de fuego, gun, guns' },
  { concept: 'military', weight: common, patterns: 'army, military, soldier*, troops, ejercito, militar*, soldado*, armed forces, fuerzas armadas' },
  { concept: 'navy', weight: common, patterns: 'navy, marina, marines' },
  { concept: 'police', weight: common, patterns: 'police, policia*, policeman, policemen' },
  { concept: 'agent', weight: common, patterns: 'agent, agents, agente, agentes' },
  { concept: 'security', weight: common, patterns: 'security, seguridad' },
  { concept: 'operation', weight: common, patterns: 'operation*, operativo*, operacion*, raid*' },
  { concept: 'seizure', weight: specific, patterns: 'seiz*, decomis*, incaut*, asegurad*' },
  { concept: 'violence', weight: common, patterns: 'violen*' },
  { concept: 'homicide', weight: specific, anchor: true, patterns: 'homicid*' },
  { concept: 'migration', weight: specific, patterns: 'migra*, immigra*, inmigra*, migrant*, migrante*' },
  { concept: 'border', weight: common, patterns: 'border*, frontera*, fronteriz*' },
  { concept: 'wall', weight: specific, anchor: true, patterns: 'wall, muro' },
  // Trade.
  { concept: 'tariff', weight: common, patterns: 'tariff*, arancel*, tarifa*, duty, duties, gravamen*, import tax*' },
  { concept: 'trade', weight: common, patterns: 'trade, comercio, comercial*, commerce' },
  { concept: 'trade-war', weight: specific, patterns: 'trade war*, guerra comercial, guerra arancelaria' },
  { concept: 'deadline', weight: specific, patterns: 'deadline*, plazo, plazos, fecha limite' },
  { concept: 'deal', weight: common, patterns: 'deal, deals, agreement*, acuerdo*, pact, pacto*, accord' },
  { concept: 'talks', weight: common, patterns: 'talks, negotiat*, negocia*, platica*, conversacion*, dialogo*, phone call, llamada' },
  { concept: 'letter', weight: specific, patterns: 'letter, letters, carta, cartas, misiva*' },
  {
    concept: 'usmca',
    weight: specific,
    anchor: true,
    patterns: 'usmca, t mec, tmec, nafta, tlcan, united states mexico canada agreement, tratado de libre comercio',
  },
  { concept: 'imports', weight: common, patterns: 'import, imports, imported, importacion*, importad*' },
  { concept: 'exports', weight: common, patterns: 'export*, exportacion*, exportad*' },
  { concept: 'goods', weight: common, patterns: 'goods, products, productos, bienes, mercancia*' },
  { concept: 'steel', weight: specific, anchor: true, good: true, patterns: 'steel, acero' },
  { concept: 'aluminum', weight: specific, anchor: true, good: true, patterns: 'alumin*' },
  { concept: 'car', weight: specific, anchor: true, good: true, patterns: 'car, cars, auto, autos, automobile*, automovil*, automotive, automotri*, automaker*, vehicle*, vehiculo*' },
  { concept: 'truck', weight: specific, anchor: true, good: true, patterns: 'truck*, camion*, vehiculos pesados, heavy vehicles, heavy duty' },
  { concept: 'tomato', weight: specific, anchor: true, good: true, patterns: 'tomat*, jitomate*' },
  { concept: 'avocado', weight: specific, anchor: true, good: true, patterns: 'avocado*, aguacate*' },
  { concept: 'oil', weight: specific, anchor: true, good: true, patterns: 'oil, petroleo, crude, crudo' },
  { concept: 'electronics', weight: specific, anchor: true, good: true, patterns: 'electronic*, electronico*' },
  { concept: 'textiles', weight: specific, anchor: true, good: true, patterns: 'textile*, textil, textiles' },
  { concept: 'beef', weight: specific, anchor: true, good: true, patterns: 'beef, cattle, carne de res, ganado' },
  { concept: 'lumber', weight: specific, anchor: true, good: true, patterns: 'lumber, timber, madera' },
  { concept: 'copper', weight: specific, anchor: true, good: true, patterns: 'copper, cobre' },
  { concept: 'sugar', weight: specific, anchor: true, good: true, patterns: 'sugar, azucar' },
  { concept: 'corn', weight: specific, anchor: true, good: true, patterns: 'corn, maize, maiz' },
  { concept: 'pharmaceuticals', weight: specific, anchor: true, good: true, patterns: 'pharmaceutical*, drugmaker*, farmaceutic*, medicamento*' },
  { concept: 'semiconductors', weight: specific, anchor: true, good: true, patterns: 'semiconductor*, chips, microchip*' },
  { concept: 'inflation', weight: specific, anchor: true, patterns: 'inflation*, inflacion*' },
  { concept: 'economy', weight: common, patterns: 'econom*' },
  // People and institutions.
  { concept: 'president', weight: common, patterns: 'president*, presidenta*, mandatario*' },
  { concept: 'government', weight: common, patterns: 'government*, gobierno*, administration, administracion' },
  { concept: 'senate', weight: specific, patterns: 'senate, senado, congress, congreso, lawmakers, legisladores' },
  // Amounts.
  { concept: 'percent', weight: common, patterns: 'percent, per cent, pc, por ciento, porcentaje*' },
  { concept: 'million', weight: common, patterns: 'million*, millon*' },
  { concept: 'billion', weight: common, patterns: 'billion*, mil millones, bn' },
  { concept: 'dollar', weight: common, patterns: 'dollar*, dolar*, usd' },
  { concept: 'day', weight: common, patterns: 'day, days, dia, dias' },
  { concept: 'week', weight: common, patterns: 'week, weeks, semana, semanas' },
  { concept: 'month', weight: common, patterns: 'month, months, mes, meses' },
];

const MONTHS = [
  ['january', 'enero'], ['february', 'febrero'], ['march', 'marzo'], ['april', 'abril'], ['may', 'mayo'], ['june', 'junio'],
  ['july', 'julio'], ['august', 'agosto'], ['september', 'septiembre, setiembre'], ['october', 'octubre'],
  ['november', 'noviembre'], ['december', 'diciembre'],
] as const;

const WEEKDAYS = [
  ['monday', 'lunes'], ['tuesday', 'martes'], ['wednesday', 'miercoles'], ['thursday', 'jueves'], ['friday', 'viernes'],
  ['saturday', 'sabado'], ['sunday', 'domingo'],
] as const;

/**
 * Months and weekdays in both languages. English "May" is also the modal verb, so that month is
 * Spanish only.
 */
const CALENDAR: ConceptDefinition[] = [
  ...MONTHS.filter(([english]) => english !== 'may').map(([english, spanish]) => ({
    concept: `month:${english.slice(0, 3)}`,
    weight: calendar,
    patterns: `${english}, ${spanish}`,
  })),
  // English abbreviations ("Aug. 1"); Spanish "mar" is the sea.
  ...MONTHS.filter(([english]) => english !== 'may').map(([english]) => ({
    concept: `month:${english.slice(0, 3)}`,
    weight: calendar,
    language: 'en' as const,
    patterns: english === 'september' ? 'sep, sept' : english.slice(0, 3),
  })),
  ...WEEKDAYS.map(([english, spanish]) => ({ concept: `day:${english.slice(0, 3)}`, weight: calendar, patterns: `${english}, ${spanish}` })),
  // Spanish "mayo" is only the month ("El Mayo" the capo is an entity, read as well).
  { concept: 'month:may', weight: calendar, language: 'es' as const, patterns: 'mayo' },
];

export const CONCEPTS: readonly ConceptDefinition[] = [...STAGES, ...COUNTRIES, ...THINGS, ...CALENDAR];

/**
 * Number words that stand for digits, per language (Spanish "once" is 11; English "once" is not).
 * Maps, since they are looked up with a story's words: "constructor" is a key of every object.
 */
export const NUMBER_WORDS: Readonly<Record<'en' | 'es', ReadonlyMap<string, string>>> = {
  en: new Map(Object.entries({
    two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11',
    twelve: '12', fifteen: '15', twenty: '20', thirty: '30', forty: '40', fifty: '50', hundred: '100',
  })),
  es: new Map(Object.entries({
    dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10', once: '11',
    doce: '12', quince: '15', veinte: '20', treinta: '30', cuarenta: '40', cincuenta: '50', cien: '100',
  })),
};

/**
 * Words that say nothing about which event a story reports: function words of both languages,
 * and the verbs and nouns of reporting itself ("said", "según", "video", "live").
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    // English function words.
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how i if ' +
    'in into is it its itself just me more most my no nor not now of off on once only or other our out over own same she ' +
    'should so some such than that the their them then there these they this those through to too under until up upon very ' +
    'was we were what when where which while who whom why will with would you your amid among via per vs ' +
    'new more most first second third last next former top big major many much several dozens dozen least ' +
    'may might must shall yet still ago since around across behind ahead against according ' +
    // English verbs and nouns of reporting.
    'says said say saying tell tells told report reports reported reporting reportedly claim claims claimed announce announces ' +
    'announced announcement confirm confirms confirmed confirmation statement statements official officials source sources ' +
    'news breaking live update updates video watch read latest analysis opinion explainer what s why how who is are ' +
    'year years today yesterday tomorrow time times week weekend morning night people thing things way ways ' +
    'alias aka known nicknamed dubbed called alleged allegedly suspected reputed authorities country countries federal ' +
    'start starts started starting begin begins began beginning ' +
    'amid make makes made get gets got take takes took come comes came go goes went going give gives gave set sets ' +
    // Spanish function words.
    'el la los las lo un una unos unas de del al a ante bajo con contra desde durante en entre hacia hasta mediante para por ' +
    'segun sin sobre tras y e o u ni que quien quienes cual cuales cuyo como cuando donde porque pues si no ya se su sus ' +
    'le les me te nos mi tu es son fue fueron era eran ser sera seran sido estar esta estan estaba este esta estos estas ' +
    'ese esa esos esas aquel ha han habia hay haber muy mas menos tambien todo toda todos todas otro otra otros otras ' +
    'mismo misma cada tanto tan asi aqui alli ahora hoy ayer manana aun solo sino pero nuevo nueva nuevos nuevas primer ' +
    'primera primero segundo segunda tercer tercera tercero ultimo ultima varios varias mil ' +
    // Spanish verbs and nouns of reporting.
    'dice dicen dijo dijeron afirma afirmo asegura aseguro informa informo informan informaron senala senalo indica indico ' +
    'explica explico revela revelo anuncia anuncio anuncian anunciaron confirma confirmo confirman confirmaron declara ' +
    'declaraciones comunicado fuentes fuente oficial oficiales noticia noticias video sigue minuto vivo directo ' +
    'alias apodado apodada conocido conocida llamado presunto presunta presuntos presuntas autoridades pais paises ' +
    'comienza comienzan comenzo comenzaron comenzara comenzaran inicia inician inicio iniciaron ' +
    'ano anos vez veces tiempo parte caso casos hace hacer tiene tienen tener puede pueden sera podria'
  ).split(' '),
);

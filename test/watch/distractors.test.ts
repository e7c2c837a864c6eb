/**
 * The shipped watchlists (config/default.yaml) against hand-written headlines: one table per
 * distractor family of the labelled headline set (README of shared/fixtures/headlines), each
 * with look-alike stories that must still fire, and per watchlist the kinds of stories it
 * exists to catch, in English and Spanish. The headlines are written for these tests, not
 * copied from the labelled set, so they check that the queries generalise.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { compileWatchlists } from '../../src/watch/matcher.js';

const packageRoot = resolve(import.meta.dirname, '../..');
const config = loadConfig({ env: {}, packageRoot });
const matcher = compileWatchlists(config.watchlists, config.entities);

type WatchlistId = 'extradition' | 'tariffs' | 'cartel_leaders';

interface Case {
  title: string;
  summary: string;
  language: 'en' | 'es';
  /** The watchlists that must fire, in definition order; [] = none. */
  fires: WatchlistId[];
}

const ORDER: WatchlistId[] = ['extradition', 'tariffs', 'cartel_leaders'];

function table(cases: Case[]): void {
  it.each(cases.map((c) => [`${c.fires.length === 0 ? 'none' : c.fires.join('+')} ← ${c.title}`, c] as const))('%s', (_name, c) => {
    const result = matcher.match({ title: c.title, summary: c.summary, language: c.language });
    expect(result.watchlists).toEqual(ORDER.filter((id) => c.fires.includes(id)));
  });
}

describe('the shipped config', () => {
  it('defines the three watchlists over the shared entity library', () => {
    expect(config.watchlists.map((w) => w.id)).toEqual(ORDER);
    const ids = new Set(config.entities.map((e) => e.id));
    for (const id of ['caro_quintero', 'la_tuta', 'el_mayo', 'el_chapo', 'cjng', 'sinaloa_cartel', 'knights_templar']) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});

describe('distractor: tariffs on China or Canada only', () => {
  table([
    {
      title: 'Trump raises tariffs on Chinese electronics to 145%',
      summary: 'Beijing vowed to retaliate against the new U.S. levies on Chinese goods, deepening the trade war.',
      language: 'en',
      fires: [],
    },
    {
      title: "Ottawa strikes back at Trump's 35% tariff with counter-levies on American steel",
      summary: 'Canada announced duties on US steel and aluminum imports after Washington raised tariffs on Canadian goods.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Automakers shift production to Mexico to dodge U.S. tariffs on Chinese parts',
      summary: 'Suppliers are opening plants in Nuevo León as Washington keeps steep duties on components made in China.',
      language: 'en',
      fires: [],
    },
    {
      title: 'China eleva al 84% los aranceles a productos estadounidenses',
      summary: 'Pekín respondió así a la última subida de gravámenes decretada por Donald Trump contra las importaciones chinas.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Trump amenaza a Canadá con aranceles del 35% a partir de agosto',
      summary: 'El presidente de Estados Unidos envió una carta al primer ministro canadiense anunciando el nuevo gravamen.',
      language: 'es',
      fires: [],
    },
    // Look-alikes that name Mexico as a target of US tariffs.
    {
      title: 'Trump threatens new tariffs on China and Mexico over fentanyl',
      summary: 'The president said imports from both countries would face an additional duty next month.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Trump impone aranceles a México, Canadá y China',
      summary: 'La Casa Blanca confirmó gravámenes del 25% a las importaciones de sus vecinos y del 10% a los bienes chinos.',
      language: 'es',
      fires: ['tariffs'],
    },
  ]);
});

describe("borderline distractor: Mexico's own tariffs on Chinese cars", () => {
  table([
    {
      title: 'Mexico to raise tariffs on Chinese cars to 50%',
      summary: 'The Mexican government said higher duties on Asian vehicles would shield local plants, amid pressure from Washington.',
      language: 'en',
      fires: [],
    },
    {
      title: 'México aplicará aranceles de hasta 50% a autos chinos',
      summary: 'El Senado aprobó gravámenes a importaciones de China y otros países asiáticos sin tratado comercial, en medio de presiones de Estados Unidos.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Beijing warns Mexico against tariffs on Asian imports',
      summary: "China's commerce ministry said the proposed Mexican levies on Chinese steel and cars would hurt bilateral trade.",
      language: 'en',
      fires: [],
    },
    // Look-alikes: US tariffs on Mexico, even when China is mentioned.
    {
      title: 'US tariffs on Mexican steel take effect as Chinese metal rerouting is targeted',
      summary: 'Washington said the duties aim to stop Chinese aluminum from entering the United States via Mexico.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Sheinbaum responde a los aranceles de Trump a productos mexicanos',
      summary: 'La presidenta de México dijo que su gobierno no aplicará represalias mientras continúen las negociaciones con Estados Unidos.',
      language: 'es',
      fires: ['tariffs'],
    },
  ]);
});

describe('distractor: non-Mexican extraditions', () => {
  table([
    {
      title: 'Former Honduran police chief extradited to the US on cocaine charges',
      summary: 'Honduran authorities handed him to US marshals at the Tegucigalpa airport on Thursday.',
      language: 'en',
      fires: [],
    },
    {
      title: 'UK court approves extradition of hacker to the United States',
      summary: 'The High Court in London rejected his final appeal against being sent to face trial in New York.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Colombia extradita a Estados Unidos a alias Gonzalito, del Clan del Golfo',
      summary: 'El narcotraficante colombiano fue entregado a agentes de la DEA en Bogotá.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Ecuador entrega a Estados Unidos al líder de la banda Los Lobos',
      summary: 'El gobierno ecuatoriano confirmó la extradición del cabecilla, acusado de narcotráfico.',
      language: 'es',
      fires: [],
    },
    {
      // A Mexican cartel is named, but the extradition is Honduras's.
      title: 'Honduran trafficker linked to Sinaloa Cartel extradited to New York',
      summary: 'The suspect, arrested in Tegucigalpa, moved cocaine for the Sinaloa Cartel, US prosecutors said.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    // Look-alikes: extraditions out of Mexico.
    {
      title: 'Mexico extradites Sinaloa Cartel financier to the United States',
      summary: 'The Mexican attorney general said the suspect was handed to US authorities in Toluca.',
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'Colombian-born CJNG operative extradited from Mexico',
      summary: 'He will face drug trafficking charges in a U.S. federal court in Texas.',
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'México extradita a EU a operador del Cártel del Golfo',
      summary: 'La Fiscalía General de la República informó que el detenido fue entregado en el aeropuerto de Toluca.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
  ]);
});

describe('distractor: Robert Caro', () => {
  table([
    {
      title: "Robert Caro's archive opens to the public in New York",
      summary: 'The biographer of Lyndon Johnson and Robert Moses donated his notes and drafts to the New-York Historical Society.',
      language: 'en',
      fires: [],
    },
    {
      title: "Caro's 'The Power Broker' turns 50",
      summary: "Half a century on, Caro's portrait of Robert Moses still shapes how New Yorkers see their city.",
      language: 'en',
      fires: [],
    },
    {
      title: 'Caro Quintero sent to the United States after four decades on the run',
      summary: 'Mexico handed Rafael Caro Quintero to US authorities along with other cartel figures.',
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'US prosecutors will not seek the death penalty for Caro Quintero',
      summary: 'The accused killer of DEA agent Enrique Camarena will face a life sentence if convicted in Brooklyn.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: Spanish "caro" = expensive', () => {
  table([
    {
      title: '¿Por qué está tan caro el aguacate este año?',
      summary: 'La sequía en Michoacán y la demanda de Estados Unidos elevaron los precios del fruto.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Los boletos de avión, cada vez más caros en México',
      summary: 'Viajar en temporada alta cuesta hasta 40% más que el año pasado, según la Profeco.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Juez de Nueva York fija fecha de juicio para Rafael Caro Quintero',
      summary: 'El fundador del Cártel de Guadalajara enfrenta cargos por narcotráfico y por el asesinato de un agente de la DEA.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: the tomato moth Tuta absoluta', () => {
  table([
    {
      title: 'Tuta absoluta moth threatens tomato harvest in Sinaloa',
      summary: 'Growers are releasing predatory bugs to fight the leafminer, which can destroy a greenhouse crop in weeks.',
      language: 'en',
      fires: [],
    },
    {
      title: 'La Tuta absoluta, la plaga que amenaza el jitomate de Michoacán',
      summary: 'Productores piden apoyo para controlar la palomilla que ya afecta cientos de hectáreas.',
      language: 'es',
      fires: [],
    },
    {
      title: "'La Tuta', former Knights Templar boss, sentenced to 47 more years",
      summary: 'A Michoacán judge convicted Servando Gómez Martínez of kidnapping.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Trasladan a EU a "La Tuta", exlíder de Los Caballeros Templarios',
      summary: 'El exmaestro rural fue enviado junto con otros narcotraficantes a petición del Departamento de Justicia.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
  ]);
});

describe('distractor: the medieval Knights Templar', () => {
  table([
    {
      title: 'The secret tunnels of the Knights Templar in Acre',
      summary: 'Archaeologists mapped a 350-metre passage the crusader order used to reach the port.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Los templarios y el misterio del castillo de Ponferrada',
      summary: 'La fortaleza de los Caballeros Templarios recibe cada año miles de visitantes en el Bierzo.',
      language: 'es',
      fires: [],
    },
    {
      // Michoacán is crime context for the cartel, but a medieval order is not the cartel.
      title: 'Llega a Morelia una exposición sobre los templarios',
      summary: 'El museo de Michoacán exhibe réplicas de armaduras y espadas de la orden medieval que protegía a los peregrinos.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Knights Templar cartel rebuilds in Michoacán, security officials warn',
      summary: 'Remnants of the group once led by Servando Gómez are extorting lime growers again.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Detienen a operador de Los Caballeros Templarios en Apatzingán',
      summary: 'El presunto narcotraficante controlaba la venta de droga en la región de Tierra Caliente, en Michoacán.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: Spanish "cartel" = poster or line-up', () => {
  table([
    {
      title: 'Estos son los carteles de la Feria de San Isidro',
      summary: 'La empresa de Las Ventas presentó las corridas de toros y novilladas de mayo.',
      language: 'es',
      fires: [],
    },
    {
      title: 'El cartel del festival de cine de Guadalajara ya tiene ganador',
      summary: 'Una ilustradora tapatía diseñó la imagen de la próxima edición.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Cae en Guadalajara operador financiero del Cártel Jalisco Nueva Generación',
      summary: 'La Fiscalía detuvo al presunto encargado de lavar dinero para el CJNG.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: Cinco de Mayo and the month of May', () => {
  table([
    {
      title: 'How Cinco de Mayo became a bigger party in the US than in Mexico',
      summary: 'The holiday marks the 1862 victory over French troops at Puebla.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Desfile del 5 de mayo reúne a miles en Puebla',
      summary: 'El desfile cívico-militar conmemoró la Batalla de Puebla.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Llega el mayo taurino: los carteles de la Feria',
      summary: 'Las corridas de toros de la temporada de mayo ya tienen fecha.',
      language: 'es',
      fires: [],
    },
    {
      title: "El Mayo Zambada pleads guilty in Brooklyn",
      summary: 'The Sinaloa cartel co-founder admitted to running a criminal enterprise.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Sentencian a "El Mayo" a cadena perpetua en Nueva York',
      summary: 'El capo sinaloense se había declarado culpable de narcotráfico.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: El Chapo as entertainment', () => {
  table([
    {
      title: 'New streaming drama casts actor to play El Chapo',
      summary: 'The actor will star as Joaquín "El Chapo" Guzmán in the TV series, which premieres in the fall.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Netflix estrena la tercera temporada de "El Chapo"',
      summary: 'La serie de televisión sigue la vida del narcotraficante sinaloense.',
      language: 'es',
      fires: [],
    },
    {
      title: "El Chapo's sons plead guilty in Chicago",
      summary: 'Joaquín Guzmán López admitted to trafficking charges in a federal court.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('distractor: other "cartels" and Mexico stories without the topics', () => {
  table([
    {
      title: 'EU fines carmakers for a recycling cartel',
      summary: 'Brussels said 15 manufacturers colluded for years.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Mexico raises electricity tariffs for factories',
      summary: 'US investors complained that the new power rates favour the state utility.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Mexico sends cabinet members to Washington for security talks',
      summary: 'The delegation will discuss fentanyl, migration and cartel violence with US officials.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Cartels sent record amounts of fentanyl to the United States, DEA says',
      summary: 'Mexican trafficking groups rely on Chinese precursors, according to the annual threat assessment.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Sinaloa Cartel sent tons of fentanyl to the US, indictment says',
      summary: 'Prosecutors say the Chapitos faction moved the drug through Arizona.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Mexico sends 10,000 troops to US border as Trump presses on cartel leaders',
      summary: 'The deployment aims to stop drug traffickers and migrants from crossing.',
      language: 'en',
      fires: [],
    },
    {
      title: 'México envía nota diplomática a EU por la captura de "El Mayo"',
      summary: 'La cancillería pidió explicaciones sobre el operativo en el que fue detenido el capo.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'US extradites former Mexican governor to Mexico',
      summary: 'He was handed over to Mexican authorities at the border crossing in Laredo.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Se entrega en EU narcotraficante ligado a Los Chapitos',
      summary: 'El hombre se presentó ante agentes federales en San Diego, informó su abogado.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('extradition: the stories it must catch', () => {
  table([
    {
      title: 'Mexico transfers 37 jailed cartel figures to the United States',
      summary: 'It is the third mass handover since President Claudia Sheinbaum took office.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'Mexico hands over alleged cartel bosses to US authorities',
      summary: 'The prisoners were flown from the Altiplano prison to several US cities, Mexican officials said.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'US takes custody of two dozen alleged traffickers expelled by Mexico',
      summary: 'Mexico expelled the suspected cartel members under its national security law, the Justice Department said.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'US asks Mexico to extradite Iván Archivaldo Guzmán if captured',
      summary: 'Washington filed a formal request for the Chapitos leader.',
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'México envía a Estados Unidos a 26 reos de alto perfil',
      summary: 'El Gabinete de Seguridad informó que el traslado se hizo a petición del Departamento de Justicia.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Gobierno de México entrega a EU a 29 narcotraficantes',
      summary: 'Entre ellos hay integrantes de varios cárteles que estaban en penales federales.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Expulsa México a 10 capos hacia Estados Unidos',
      summary: 'La medida se tomó con base en la Ley de Seguridad Nacional, informó la SSPC.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Extraditan a "El Nini" a Estados Unidos',
      summary: 'El jefe de seguridad de Los Chapitos enfrentará cargos por tráfico de fentanilo.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'EU pide a México la extradición de "El Jardinero"',
      summary: 'Audias Flores, operador del CJNG, fue detenido en Nayarit.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      // A domestic prison transfer is not a transfer to the United States.
      title: 'Trasladan a "El Cuini" al penal del Altiplano',
      summary: 'Abigael González Valencia fue llevado en un operativo de la Guardia Nacional.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

describe('tariffs: the stories it must catch', () => {
  table([
    {
      title: 'Trump pauses tariffs on Mexico for 30 days after call with Sheinbaum',
      summary: 'The 25% levy on Mexican goods was due to take effect on Tuesday.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'White House extends tariff reprieve for Mexico by 90 days',
      summary: 'Mexican goods covered by the trade pact remain exempt while negotiators keep talking.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Trump gives Mexico more time to reach a trade deal',
      summary: 'The US president said the deadline for talks with Mexico would move to November.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Mexico opens consultations ahead of the USMCA review',
      summary: 'Businesses can send comments on the trade agreement until the end of the month.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Estados Unidos aplaza los aranceles a México hasta abril',
      summary: 'Los productos que cumplen con el T-MEC seguirán exentos, informó la Casa Blanca.',
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: 'Sheinbaum y Trump acuerdan una tregua comercial de 90 días',
      summary: 'México evitará por ahora el alza de gravámenes a sus exportaciones a Estados Unidos.',
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: 'Steelmakers brace for new tariffs on Mexican metal',
      summary: 'Exporters in Monterrey expect the duties to cut shipments north by a third.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Washington impone cuota compensatoria al jitomate mexicano',
      summary: 'Las exportaciones de México a Estados Unidos pagarán un arancel de 17% desde julio.',
      language: 'es',
      fires: ['tariffs'],
    },
  ]);
});

describe('cartel_leaders: leaders named by alias, organisations by any name', () => {
  table([
    {
      title: '"El Mencho" killed in army operation in Jalisco',
      summary: 'The leader of the Jalisco New Generation Cartel died in Tapalpa, officials said.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Cuñado del Mencho pide aplazar su audiencia',
      summary: 'El líder de Los Cuinis comparecerá ante una corte federal en Washington.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Who are the Chapitos?',
      summary: "A guide to the sons of Joaquín Guzmán and the faction that split the Sinaloa Cartel.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Detienen a operador del Cártel del Golfo en Tamaulipas',
      summary: 'El detenido coordinaba el trasiego de droga en Reynosa.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Ex-Zetas boss Z-40 pleads not guilty in Washington',
      summary: 'Miguel Ángel Treviño Morales faces terrorism and drug charges.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Hijo del Chapo se declara culpable en Chicago',
      summary: 'Ovidio Guzmán aceptó cargos de narcotráfico y lavado de dinero.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ]);
});

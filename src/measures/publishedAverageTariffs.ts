/** A published average tariff of one economy on another's goods, for a period in which it held. */
export interface PublishedAverageTariff {
  importer: string;
  exporter: string;
  /** First and last day (inclusive) of the period the figure describes. */
  from: string;
  to?: string;
  /** Percent, trade-weighted by the publisher. */
  value: number;
  source: string;
}

const BOWN_2025 =
  'Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart", https://www.piie.com/research/piie-charts/2019/us-china-trade-war-tariffs-date-chart (2025 version)';
const BOWN_2019 =
  'Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart", version of 19 December 2019, https://www.piie.com/research/piie-charts/us-china-trade-war-tariffs-date-chart';

const BOWN_2020_FEB =
  'Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart", version of 14 February 2020, https://www.piie.com/research/piie-charts/us-china-trade-war-tariffs-date-chart';
const BOWN_2025_GENEVA =
  'Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart", version after the Geneva agreement (14 May 2025), https://www.piie.com/research/piie-charts/2019/us-china-trade-war-tariffs-date-chart';

const BOWN_2019_SEP =
  'Bown (PIIE), "The Trade War Is Suddenly Getting Worse", 20 September 2019, https://www.piie.com/research/piie-charts/trade-war-suddenly-getting-worse';

/**
 * The average US tariff on imports from China, and China's on the US, as PIIE's charts state them in their text
 * (2017 import weights), each
 * for the period the text gives; figures the text does not state are not here.
 */
export const PUBLISHED_AVERAGE_TARIFFS: readonly PublishedAverageTariff[] = [
  // "US average tariffs increased from 3.8 percent to 12.0 percent" in July–September 2018.
  { importer: 'USA', exporter: 'CHN', from: '2018-03-23', to: '2018-07-05', value: 3.8, source: BOWN_2025 },
  // "September 25, 2018, through June 2019" of little change; "12.0 percent right before ... June 15".
  { importer: 'USA', exporter: 'CHN', from: '2018-09-24', to: '2019-06-14', value: 12.0, source: BOWN_2025 },
  // "Current US tariffs on imports from China average 21.0 percent" (December 2019).
  { importer: 'USA', exporter: 'CHN', from: '2019-09-01', to: '2020-02-13', value: 21.0, source: BOWN_2019 },
  // "Average US tariffs on Chinese exports remain elevated at 19.3 percent" after 14 February 2020.
  { importer: 'USA', exporter: 'CHN', from: '2020-02-14', to: '2024-09-26', value: 19.3, source: BOWN_2025 },
  // "the average US tariff on China of 20.8 percent when the second Trump administration began on January 20, 2025".
  { importer: 'USA', exporter: 'CHN', from: '2025-01-01', to: '2025-02-03', value: 20.8, source: BOWN_2025 },
  // "Average US tariffs on Chinese exports now stand at 124.1 percent" (after 10 April 2025).
  { importer: 'USA', exporter: 'CHN', from: '2025-04-10', to: '2025-05-13', value: 124.1, source: BOWN_2025 },
  // China on the US: "China's average tariffs increased from 7.2 percent to 18.3 percent" in July–September 2018.
  { importer: 'CHN', exporter: 'USA', from: '2018-04-02', to: '2018-07-05', value: 7.2, source: BOWN_2025 },
  { importer: 'CHN', exporter: 'USA', from: '2018-09-24', to: '2018-12-31', value: 18.3, source: BOWN_2025 },
  // "escalating its average tariff on imports from the United States from 16.5 to 25.1 percent" (June–December 2019).
  { importer: 'CHN', exporter: 'USA', from: '2019-01-01', to: '2019-05-31', value: 16.5, source: BOWN_2019_SEP },
  // "down only slightly from their current average rate of 21.1 percent" (December 2019).
  { importer: 'CHN', exporter: 'USA', from: '2019-09-01', to: '2019-12-14', value: 21.1, source: BOWN_2019 },
  // "Average Chinese tariffs on imports from the United States also remain elevated at an average of 20.3 percent"
  // after the halving of 14 February 2020; held here until China's MFN changes of 1 July 2020.
  { importer: 'CHN', exporter: 'USA', from: '2020-02-14', to: '2020-06-30', value: 20.3, source: BOWN_2020_FEB },
  // "China's average tariffs on US exports are at 32.6 percent and cover 100 percent of all goods" after 14 May 2025;
  // held until China ended its March 2025 tariffs on US farm goods (10 November 2025).
  { importer: 'CHN', exporter: 'USA', from: '2025-05-14', to: '2025-11-09', value: 32.6, source: BOWN_2025_GENEVA },
];

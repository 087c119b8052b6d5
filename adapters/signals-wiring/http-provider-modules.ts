/**
 * Where the HTTP providers' factories live. They are imported only when a
 * command names their provider, so the offline commands work without
 * them; the table is the one place to change if a module moves.
 */
import type {ProviderName} from './provider-names.js';

/** A module path (relative to this folder) and its factory's name. */
export interface HttpProviderModule {
  readonly modulePath: string;
  readonly exportName: string;
}

/** The HTTP providers' factory modules, by provider name. */
export const HTTP_PROVIDER_MODULES: Readonly<
  Partial<Record<ProviderName, HttpProviderModule>>
> = {
  electricitymaps: {
    modulePath: '../signals/electricity-maps/electricity-maps-provider.js',
    exportName: 'createElectricityMapsProvider',
  },
  watttime: {
    modulePath: '../signals/watttime/watttime-provider.js',
    exportName: 'createWattTimeProvider',
  },
  uk: {
    modulePath: '../signals/uk-carbon-intensity/' +
      'uk-carbon-intensity-provider.js',
    exportName: 'createUkCarbonIntensityProvider',
  },
};

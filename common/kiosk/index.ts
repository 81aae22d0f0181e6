export * from './interventions';
export * from './light';

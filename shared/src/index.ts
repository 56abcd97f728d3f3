export * from './report';
export * from './rules';
export * from './protocol';
export * from './findingData';
export * from './matrix';
export * from './matrixFormat';
export * from './reach';

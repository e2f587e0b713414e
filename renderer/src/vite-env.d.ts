// CSS modules are bundled by Vite; importing one has no type.
declare module '*.css';

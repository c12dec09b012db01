import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { createServices, ServicesContext } from './workbench/services';
import { startWorkbench } from './workbench/start';
import { Workbench } from './workbench/Workbench';
import './theme/themes.css';
import './theme/workbench.css';

const services = createServices(createClient());
startWorkbench(services);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <Workbench />
    </ServicesContext.Provider>
  </StrictMode>,
);

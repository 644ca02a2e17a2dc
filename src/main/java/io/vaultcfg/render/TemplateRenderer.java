package io.vaultcfg.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.InvalidReferenceException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.Unknown;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders Freemarker templates, looked up first in the user's directories, then in the templates
 * shipped inside the jar. An undefined variable is an error naming the template file and line.
 */
public final class TemplateRenderer {
    private final Configuration configuration;

    public TemplateRenderer(List<Path> searchDirs) {
        configuration = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        for (Path dir : searchDirs) {
            if (Files.isDirectory(dir)) {
                try {
                    loaders.add(new FileTemplateLoader(dir.toFile()));
                } catch (IOException e) {
                    throw new ConfigException(dir.toString(), null, "cannot read templates directory: " + e.getMessage());
                }
            }
        }
        loaders.add(new ClassTemplateLoader(TemplateRenderer.class.getClassLoader(), "templates"));
        configuration.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        configuration.setDefaultEncoding("UTF-8");
        configuration.setNumberFormat("computer");
        configuration.setBooleanFormat("c");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
        // A template fills in values; it never creates Java objects (?new) or reaches Java APIs (?api).
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        configuration.setAPIBuiltinEnabled(false);
        configuration.setObjectWrapper(new UnknownAwareWrapper());
    }

    /** Shows a value only applying can produce as {@link UnknownText#TEXT}, so a check-mode diff says so. */
    private static final class UnknownAwareWrapper extends DefaultObjectWrapper {
        UnknownAwareWrapper() {
            super(Configuration.VERSION_2_3_34);
        }

        @Override
        protected TemplateModel handleUnknownType(Object value) throws TemplateModelException {
            return value instanceof Unknown ? new SimpleScalar(UnknownText.TEXT) : super.handleUnknownType(value);
        }
    }

    /** Whether a template of that name can be found, so a missing one is caught before any host is contacted. */
    public boolean exists(String name) {
        try {
            configuration.getTemplate(name);
            return true;
        } catch (TemplateNotFoundException e) {
            return false;
        } catch (SecurityException e) {
            throw linkOutOfItsDirectory(name);
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot read template: " + firstLine(e.getMessage()));
        }
    }

    /**
     * @param usedAt the playbook location that asked for the template, for "template not found"
     */
    public String render(String name, Map<String, Object> vars, String usedAt) {
        Template template;
        try {
            template = configuration.getTemplate(name);
        } catch (TemplateNotFoundException e) {
            throw new ConfigException(usedAt, "src", "template '" + name + "' not found in the templates directories or the built-in templates");
        } catch (SecurityException e) {
            throw linkOutOfItsDirectory(name);
        } catch (freemarker.core.ParseException e) {
            throw new ConfigException(name + ":" + e.getLineNumber(), null, "template syntax error: " + firstLine(e.getEditorMessage()));
        } catch (IOException e) {
            throw new ConfigException(usedAt, "src", "cannot read template '" + name + "': " + firstLine(e.getMessage()));
        }
        StringWriter out = new StringWriter();
        try {
            template.process(vars, out);
        } catch (InvalidReferenceException e) {
            // The blamed expression is template text, never a value, so it is safe to show.
            throw new ConfigException(name + ":" + e.getLineNumber(), e.getBlamedExpressionString(),
                    "undefined variable (set it in the inventory, play vars, -e, or VAULTCFG_VAR_" + e.getBlamedExpressionString() + ")");
        } catch (TemplateException e) {
            throw new ConfigException(name + ":" + e.getLineNumber(), null, "template error: " + firstLine(e.getMessageWithoutStackTop()));
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot render template: " + firstLine(e.getMessage()));
        }
        return out.toString();
    }

    /** Freemarker refuses a template reached through a link out of its directory, where nobody checked who can write. */
    private static ConfigException linkOutOfItsDirectory(String name) {
        return new ConfigException(name, null, "template is a link leading out of its templates directory; copy the file there instead");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

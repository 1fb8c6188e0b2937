package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.shared.config.Config;
import com.mediaflow.testkit.LocalContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Loads a function's real handler class, as named in template.yaml, and invokes it the way the
 * Lambda Java runtime does. Each instance is one "execution environment": one handler object,
 * built once, called one event at a time.
 */
public final class FunctionHost {
    private final FunctionDef function;
    private final Map<String, String> environment;
    private final Object handler;
    private final Method method;

    public FunctionHost(FunctionDef function, Map<String, String> environment) {
        this.function = function;
        this.environment = Map.copyOf(environment);
        Class<?> type = handlerClass(function);
        // Clients built here belong to this function (CallRecorder: the least-privilege check).
        this.handler = CallRecorder.as(function.logicalId(), () -> instantiate(type, Config.of(environment)));
        this.method = findMethod(type, function.handlerMethod());
    }

    public FunctionDef function() {
        return function;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Context newContext() {
        return new LocalContext(function.logicalId(), function.timeoutSeconds(), function.memoryMb());
    }

    /** Calls the handler with one event; exceptions thrown by the handler propagate unwrapped. */
    public Object invoke(Object event) {
        return CallRecorder.as(function.logicalId(), () -> call(event));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object call(Object event) {
        Context context = newContext();
        if (handler instanceof RequestHandler rh && method.getName().equals("handleRequest")) {
            return rh.handleRequest(event, context);
        }
        try {
            return method.getParameterCount() == 2 ? method.invoke(handler, event, context) : method.invoke(handler, event);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(function.logicalId() + " handler threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(function.logicalId() + ": cannot call " + method, e);
        }
    }

    public static Class<?> handlerClass(FunctionDef function) {
        try {
            return Class.forName(function.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml: " + function.logicalId() + " names handler class "
                    + function.handlerClass() + ", which is not on the classpath (expected it in " + function.codeUri() + ")", e);
        }
    }

    private static Object instantiate(Class<?> type, Config config) {
        try {
            try {
                Constructor<?> withConfig = type.getConstructor(Config.class);
                return withConfig.newInstance(config);
            } catch (NoSuchMethodException e) {
                return type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("constructing " + type.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName()
                    + ": expected a public constructor taking Config, or a public no-arg one", e);
        }
    }

    static Method findMethod(Class<?> type, String name) {
        Method best = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && (m.getParameterCount() == 1 || m.getParameterCount() == 2)) {
                if (best == null || m.getParameterTypes()[0] != Object.class) {
                    best = m;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException(type.getName() + " has no public method " + name + "(event[, Context])");
        }
        return best;
    }
}
